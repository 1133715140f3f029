using System.Numerics;
using System.Security.Cryptography;
using FsCheck.Xunit;
using Jevm.Crypto.Bn254;
using Jevm.Numerics;
using Fp = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254BaseModulus>;
using Fr = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254ScalarModulus>;

namespace Jevm.Tests.Precompiles;

public class Bn254FieldTests
{
    internal static readonly BigInteger P = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583");
    internal static readonly BigInteger R = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");

    // Spreads a small seed over the whole 256-bit range (so tests hit large limbs), then reduces.
    internal static BigInteger Expand(ulong seed, int salt, BigInteger modulus)
    {
        Span<byte> input = stackalloc byte[12];
        BitConverter.TryWriteBytes(input, seed);
        BitConverter.TryWriteBytes(input.Slice(8), salt);
        return new BigInteger(SHA256.HashData(input), isUnsigned: true, isBigEndian: true) % modulus;
    }

    internal static Fp F(ulong seed, int salt = 0) => Fp.FromCanonical(UInt256.FromBigInteger(Expand(seed, salt, P)));
    internal static Fp2 F2(ulong seed, int salt = 0) => new(F(seed, salt), F(seed, salt + 1000));
    internal static Fp6 F6(ulong seed, int salt = 0) => new(F2(seed, salt), F2(seed, salt + 1), F2(seed, salt + 2));
    internal static Fp12 F12(ulong seed, int salt = 0) => new(F6(seed, salt), F6(seed, salt + 10));

    [Fact]
    public void Modulus_MatchesEip196()
    {
        Assert.Equal(P, Fp.Modulus.ToBigInteger());
        Assert.Equal(R, Fr.Modulus.ToBigInteger());
    }

    [Property(MaxTest = 300)]
    public void Fp_MatchesBigIntegerArithmetic(ulong sa, ulong sb)
    {
        BigInteger a = Expand(sa, 1, P), b = Expand(sb, 2, P);
        var fa = Fp.FromCanonical(UInt256.FromBigInteger(a));
        var fb = Fp.FromCanonical(UInt256.FromBigInteger(b));
        Assert.Equal(a, fa.ToCanonical().ToBigInteger());
        Assert.Equal(a * b % P, (fa * fb).ToCanonical().ToBigInteger());
        Assert.Equal((a + b) % P, (fa + fb).ToCanonical().ToBigInteger());
        Assert.Equal(((a - b) % P + P) % P, (fa - fb).ToCanonical().ToBigInteger());
        Assert.Equal((P - a) % P, (-fa).ToCanonical().ToBigInteger());
        if (!a.IsZero) Assert.Equal(BigInteger.ModPow(a, P - 2, P), fa.Inverse().ToCanonical().ToBigInteger());
        Assert.Equal(fa.InverseByFermat(), fa.Inverse());
    }

    [Fact]
    public void Fp_EdgeValues()
    {
        var pMinus1 = Fp.FromCanonical(UInt256.FromBigInteger(P - 1));
        Assert.Equal(Fp.One, pMinus1 * pMinus1); // (−1)² = 1
        Assert.True((pMinus1 + Fp.One).IsZero);
        Assert.False(Fp.TryCreate(Fp.Modulus, out _));
        Assert.True(Fp.TryCreate(UInt256.FromBigInteger(P - 1), out _));
        Assert.True(Fp.Zero.Inverse().IsZero);
        Assert.Equal(Fp.One, Fp.One.Inverse());
        Assert.Equal(pMinus1, pMinus1.Inverse());
    }

    [Property(MaxTest = 200)]
    public void Fr_MatchesBigIntegerArithmetic(ulong sa, ulong sb)
    {
        BigInteger a = Expand(sa, 3, R), b = Expand(sb, 4, R);
        var fa = Fr.FromCanonical(UInt256.FromBigInteger(a));
        var fb = Fr.FromCanonical(UInt256.FromBigInteger(b));
        Assert.Equal(a * b % R, (fa * fb).ToCanonical().ToBigInteger());
        Assert.Equal((a + b) % R, (fa + fb).ToCanonical().ToBigInteger());
        Assert.Equal(((a - b) % R + R) % R, (fa - fb).ToCanonical().ToBigInteger());
        if (!a.IsZero) Assert.Equal(Fr.One, fa * fa.Inverse());
        Assert.Equal(fa.InverseByFermat(), fa.Inverse());
    }

    private static void FieldLaws<T>(T a, T b, T c) where T : struct, IField<T>
    {
        Assert.Equal((a + b) + c, a + (b + c));
        Assert.Equal(a + b, b + a);
        Assert.Equal((a * b) * c, a * (b * c));
        Assert.Equal(a * b, b * a);
        Assert.Equal(a * (b + c), a * b + a * c);
        Assert.Equal(a - b, a + (-b));
        Assert.Equal(a * a, a.Square());
        Assert.Equal(a + a, a.Double());
        Assert.Equal(a, a * T.One);
        Assert.True((a - a).IsZero);
        if (!a.IsZero) Assert.Equal(T.One, a * a.Inverse());
    }

    [Property(MaxTest = 100)]
    public void Fp2_FieldLaws(ulong sa, ulong sb, ulong sc) => FieldLaws(F2(sa), F2(sb, 7), F2(sc, 9));

    [Property(MaxTest = 50)]
    public void Fp6_FieldLaws(ulong sa, ulong sb, ulong sc) => FieldLaws(F6(sa), F6(sb, 7), F6(sc, 9));

    [Property(MaxTest = 30)]
    public void Fp12_FieldLaws(ulong sa, ulong sb, ulong sc) => FieldLaws(F12(sa), F12(sb, 7), F12(sc, 9));

    [Fact]
    public void Fp2_USquaredIsMinusOne()
    {
        var u = new Fp2(Fp.Zero, Fp.One);
        Assert.Equal(-Fp2.One, u * u);
    }

    [Property(MaxTest = 20)]
    public void Fp2_MulByXi_MatchesMultiplication(ulong s) => Assert.Equal(F2(s) * Fp2.Xi, F2(s).MulByXi());

    [Fact]
    public void Fp6_VCubedIsXi()
    {
        var v = new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero);
        Assert.Equal(new Fp6(Fp2.Xi, Fp2.Zero, Fp2.Zero), v * v * v);
    }

    [Fact]
    public void Fp12_WSquaredIsV()
    {
        var w = new Fp12(Fp6.Zero, Fp6.One);
        Assert.Equal(new Fp12(new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero), Fp6.Zero), w * w);
    }

    [Property(MaxTest = 20)]
    public void Fp12_CyclotomicSquare_MatchesSquareOnUnitaryElements(ulong s)
    {
        var f = F12(s);
        // f^((p⁶ − 1)(p² + 1)) lies in the cyclotomic subgroup.
        var u = f.Conjugate() * f.Inverse();
        u = u.Frobenius().Frobenius() * u;
        Assert.Equal(u.Square(), u.CyclotomicSquare());
        Assert.NotEqual(f.Square(), f.CyclotomicSquare()); // and it is not a general squaring
    }

    [Property(MaxTest = 10)]
    public void Fp12_Frobenius_IsPowerP(ulong s)
    {
        var a = F12(s);
        Assert.Equal(a.Pow(Fp.Modulus), a.Frobenius());
    }

    [Property(MaxTest = 10)]
    public void Fp12_FrobeniusTwelveTimes_IsIdentity(ulong s)
    {
        var a = F12(s);
        var b = a;
        for (int i = 0; i < 12; i++) b = b.Frobenius();
        Assert.Equal(a, b);
        Assert.NotEqual(a, a.Frobenius());
    }
}
