using Jevm.Evm;

namespace Jevm.Precompiles;

/// <summary>
/// Precompile 0x06 (EIP-196, Byzantium): BN254 G1 point addition. Input is two points (128 bytes, zero-padded when
/// shorter); output the 64-byte sum. Invalid points fail. Gas 500, 150 from Istanbul (EIP-1108).
/// </summary>
public sealed class Bn254AddPrecompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly Bn254AddPrecompile Instance = new();

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => fork >= Fork.Istanbul ? 150 : 500;

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        Span<byte> buf = stackalloc byte[128];
        PrecompileInput.CopyPadded(input, 0, buf);
        if (!Bn254Codec.TryReadG1(buf.Slice(0, 64), out var a) || !Bn254Codec.TryReadG1(buf.Slice(64, 64), out var b))
        {
            output = [];
            return false;
        }
        output = Bn254Codec.WriteG1(a.Add(b));
        return true;
    }
}
