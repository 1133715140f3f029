using Jevm.Crypto.Bn254;
using Jevm.Evm;
using Fp = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254BaseModulus>;

namespace Jevm.Precompiles;

/// <summary>
/// Precompile 0x08 (EIP-197, Byzantium): BN254 pairing check. Input is k pairs (G1 point, G2 point) of 192 bytes;
/// output is the 32-byte word 1 when Π e(Pᵢ, Qᵢ) = 1 (also for k = 0), else 0. A length not a multiple of 192 or an
/// invalid point fails. Gas 100000 + 80000·k, from Istanbul 45000 + 34000·k (EIP-1108).
/// </summary>
public sealed class Bn254PairingPrecompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly Bn254PairingPrecompile Instance = new();

    /// <summary>Bytes per (G1, G2) pair.</summary>
    public const int PairSize = 192;

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork)
    {
        long k = input.Length / PairSize;
        return fork >= Fork.Istanbul ? 45000 + 34000 * k : 100000 + 80000 * k;
    }

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length % PairSize != 0) return false;
        int k = input.Length / PairSize;
        var ps = new JacobianPoint<Fp>[k];
        var qs = new JacobianPoint<Fp2>[k];
        for (int i = 0; i < k; i++)
        {
            var pair = input.Slice(i * PairSize, PairSize);
            if (!Bn254Codec.TryReadG1(pair.Slice(0, 64), out ps[i]) || !Bn254Codec.TryReadG2(pair.Slice(64, 128), out qs[i]))
                return false;
        }
        output = new byte[32];
        if (Bn254Pairing.Check(ps, qs)) output[31] = 1;
        return true;
    }
}
