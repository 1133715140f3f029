using Jevm.Evm;
using Jevm.Numerics;

namespace Jevm.Precompiles;

/// <summary>
/// Precompile 0x07 (EIP-196, Byzantium): BN254 G1 scalar multiplication. Input is a point and a 256-bit scalar
/// (96 bytes, zero-padded when shorter); output the 64-byte product. Invalid points fail. Gas 40000, 6000 from
/// Istanbul (EIP-1108).
/// </summary>
public sealed class Bn254MulPrecompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly Bn254MulPrecompile Instance = new();

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => fork >= Fork.Istanbul ? 6000 : 40000;

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        Span<byte> buf = stackalloc byte[96];
        PrecompileInput.CopyPadded(input, 0, buf);
        if (!Bn254Codec.TryReadG1(buf.Slice(0, 64), out var p))
        {
            output = [];
            return false;
        }
        var k = UInt256.ReadBigEndian(buf.Slice(64, 32));
        output = Bn254Codec.WriteG1(p.Multiply(k));
        return true;
    }
}
