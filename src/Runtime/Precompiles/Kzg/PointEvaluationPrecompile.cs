using System.Security.Cryptography;
using Jevm.Crypto.Bls12381;
using Jevm.Encoding;
using Jevm.Evm;

namespace Jevm.Precompiles.Kzg;

/// <summary>
/// EIP-4844 point evaluation precompile (0x0a, Cancun): input versioned_hash ‖ z ‖ y ‖ commitment ‖ proof (192 bytes);
/// checks versioned_hash = 0x01 ‖ sha256(commitment)[1..] and the KZG proof that p(z) = y; returns
/// FIELD_ELEMENTS_PER_BLOB ‖ BLS_MODULUS as two 32-byte words.
/// </summary>
internal sealed class PointEvaluationPrecompile : IPrecompile
{
    public static readonly PointEvaluationPrecompile Instance = new();

    /// <summary>EIP-4844 POINT_EVALUATION_PRECOMPILE_GAS.</summary>
    public const long Gas = 50_000;

    private const byte VersionedHashVersionKzg = 0x01;
    private const int FieldElementsPerBlob = 4096;

    // [τ]₂ of the mainnet KZG ceremony: the second G2 point (g2_monomial[1]) of ethereum/c-kzg-4844
    // src/trusted_setup.txt (line 4100), equal to the one in consensus-specs presets/mainnet/trusted_setups/trusted_setup_4096.json.
    internal const string TauG2Compressed =
        "b5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72" +
        "185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2";

    private static readonly AffinePoint<Fp2> s_tauG2 = DecodeTau();
    private static readonly AffinePoint<Fp2> s_negG2 = Curves.G2Generator.Negate();

    private static readonly byte[] s_success = BuildSuccess();

    private static AffinePoint<Fp2> DecodeTau()
    {
        if (!Bls12381Encoding.TryReadCompressedG2(Hex.Decode(TauG2Compressed), out var p))
            throw new InvalidOperationException("the embedded trusted-setup point does not decode");
        return p;
    }

    private static byte[] BuildSuccess()
    {
        var r = new byte[64];
        r[30] = FieldElementsPerBlob >> 8;
        r[31] = FieldElementsPerBlob & 0xff;
        Curves.RBytes.CopyTo(r.AsSpan(64 - Curves.RBytes.Length));
        return r;
    }

    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => Gas;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != 192) return false;
        ReadOnlySpan<byte> versionedHash = input[..32], z = input.Slice(32, 32), y = input.Slice(64, 32);
        ReadOnlySpan<byte> commitment = input.Slice(96, 48), proof = input.Slice(144, 48);

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(commitment, hash);
        hash[0] = VersionedHashVersionKzg;
        if (!hash.SequenceEqual(versionedHash)) return false;

        if (!VerifyKzgProof(commitment, z, y, proof)) return false;
        output = (byte[])s_success.Clone();
        return true;
    }

    /// <summary>
    /// verify_kzg_proof of the Deneb polynomial-commitments spec: e(C - [y]G1, G2) = e(π, [τ]G2 - [z]G2), checked as
    /// e(C - [y]G1 + [z]π, -G2)·e(π, [τ]G2) = 1 so that only G1 multiplications are needed.
    /// </summary>
    internal static bool VerifyKzgProof(ReadOnlySpan<byte> commitment, ReadOnlySpan<byte> z, ReadOnlySpan<byte> y, ReadOnlySpan<byte> proof)
    {
        // z and y must be canonical scalar-field elements.
        if (z.SequenceCompareTo(Curves.RBytes) >= 0 || y.SequenceCompareTo(Curves.RBytes) >= 0) return false;
        if (!Bls12381Encoding.TryReadCompressedG1(commitment, out var c)) return false;
        if (!Bls12381Encoding.TryReadCompressedG1(proof, out var pi)) return false;
        var lhs = c.ToJacobian()
            .Add(Curves.G1Generator.ToJacobian().Multiply(y).Negate())
            .Add(pi.ToJacobian().Multiply(z));
        ReadOnlySpan<AffinePoint<Fp>> ps = [lhs.ToAffine(), pi];
        ReadOnlySpan<AffinePoint<Fp2>> qs = [s_negG2, s_tauG2];
        return Pairing.Check(ps, qs);
    }
}
