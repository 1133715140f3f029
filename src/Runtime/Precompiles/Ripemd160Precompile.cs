using Jevm.Evm;
using Org.BouncyCastle.Crypto.Digests;

namespace Jevm.Precompiles;

/// <summary>Precompile 0x03: RIPEMD-160 of the input, left-padded to 32 bytes. Gas 600 + 120 per word.</summary>
public sealed class Ripemd160Precompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly Ripemd160Precompile Instance = new();

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => PrecompileGas.Linear(input.Length, 600, 120);

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        var digest = new RipeMD160Digest();
        digest.BlockUpdate(input);
        output = new byte[32];
        digest.DoFinal(output.AsSpan(12));
        return true;
    }
}
