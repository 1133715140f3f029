using Jevm.Evm;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;

namespace Jevm.Precompiles;

/// <summary>
/// EIP-7951 P256VERIFY (0x100, Osaka): ECDSA verification over secp256r1. Input h ‖ r ‖ s ‖ qx ‖ qy (160 bytes);
/// output the 32-byte word 1 for a valid signature and empty output for anything else — never a failure, so the
/// caller is always charged exactly the fixed gas.
/// </summary>
internal sealed class P256VerifyPrecompile : IPrecompile
{
    public static readonly P256VerifyPrecompile Instance = new();

    /// <summary>EIP-7951 P256VERIFY_BASE_GAS.</summary>
    public const long Gas = 6900;

    private const int InputLength = 160;

    private static readonly X9ECParameters s_curve = SecNamedCurves.GetByName("secp256r1");
    private static readonly ECDomainParameters s_domain = new(s_curve.Curve, s_curve.G, s_curve.N, s_curve.H);
    private static readonly BigInteger s_p = s_curve.Curve.Field.Characteristic;
    private static readonly BigInteger s_a = s_curve.Curve.A.ToBigInteger();
    private static readonly BigInteger s_b = s_curve.Curve.B.ToBigInteger();

    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => Gas;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = Verify(input) ? One() : [];
        return true;
    }

    private static byte[] One()
    {
        var r = new byte[32];
        r[31] = 1;
        return r;
    }

    /// <summary>The EIP-7951 checks, then ECDSA verification: R' = (h·s⁻¹)G + (r·s⁻¹)Q ≠ O and R'.x ≡ r (mod n).</summary>
    internal static bool Verify(ReadOnlySpan<byte> input)
    {
        if (input.Length != InputLength) return false;
        var r = new BigInteger(1, input.Slice(32, 32));
        var s = new BigInteger(1, input.Slice(64, 32));
        var qx = new BigInteger(1, input.Slice(96, 32));
        var qy = new BigInteger(1, input.Slice(128, 32));
        // 0 < r < n and 0 < s < n.
        if (r.SignValue <= 0 || r.CompareTo(s_domain.N) >= 0 || s.SignValue <= 0 || s.CompareTo(s_domain.N) >= 0) return false;
        // 0 ≤ qx, qy < p and y² = x³ + ax + b; (0, 0) is not on the curve, so the point at infinity is rejected too.
        if (qx.CompareTo(s_p) >= 0 || qy.CompareTo(s_p) >= 0) return false;
        var lhs = qy.Multiply(qy).Mod(s_p);
        var rhs = qx.Multiply(qx).Add(s_a).Multiply(qx).Add(s_b).Mod(s_p);
        if (!lhs.Equals(rhs)) return false;

        var q = s_curve.Curve.CreatePoint(qx, qy);
        var signer = new ECDsaSigner();
        signer.Init(false, new ECPublicKeyParameters(q, s_domain));
        // A 32-byte hash against the 256-bit n is used whole (no truncation), as the EIP's h.
        return signer.VerifySignature(input[..32].ToArray(), r, s);
    }
}
