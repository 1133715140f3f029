using Jevm.Evm;

namespace Jevm.Precompiles;

/// <summary>Precompile 0x04: returns its input. Gas 15 + 3 per word.</summary>
public sealed class IdentityPrecompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly IdentityPrecompile Instance = new();

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => PrecompileGas.Linear(input.Length, 15, 3);

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = input.ToArray();
        return true;
    }
}
