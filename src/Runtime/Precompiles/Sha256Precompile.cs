using System.Security.Cryptography;
using Jevm.Evm;

namespace Jevm.Precompiles;

/// <summary>Precompile 0x02: SHA-256 of the input (Yellow Paper appendix E). Gas 60 + 12 per word.</summary>
public sealed class Sha256Precompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly Sha256Precompile Instance = new();

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => PrecompileGas.Linear(input.Length, 60, 12);

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = new byte[32];
        SHA256.HashData(input, output);
        return true;
    }
}
