using Jevm.Evm;

namespace Jevm.Precompiles;

/// <summary>A precompiled contract: native code at a fixed address.</summary>
public interface IPrecompile
{
    /// <summary>The gas the call costs for this input in this fork (may exceed any gas limit: then the call fails).</summary>
    long RequiredGas(ReadOnlySpan<byte> input, Fork fork);

    /// <summary>Runs the precompile. False means failure: the call consumes all its gas and returns nothing.</summary>
    bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output);
}
