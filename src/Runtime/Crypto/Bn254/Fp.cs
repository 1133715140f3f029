using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Crypto.Bn254;

/// <summary>
/// An element of the BN254 base field F_p, p = 21888242871839275222246405745257275088696311157297823662689037894645226208583,
/// stored in Montgomery form (x·2^256 mod p).
/// </summary>
internal readonly struct Fp : IField<Fp>
{
    /// <summary>The field modulus p.</summary>
    public static readonly UInt256 Modulus = Montgomery.Modulus<Bn254BaseModulus>();

    private static readonly UInt256 s_r2 = Montgomery.PowerOfR(Modulus, 2);
    private static readonly UInt256 s_pMinus2 = new(Modulus.U0 - 2, Modulus.U1, Modulus.U2, Modulus.U3);
    private static readonly Fp s_one = new(Montgomery.PowerOfR(Modulus, 1));

    /// <summary>The Montgomery representation.</summary>
    internal readonly UInt256 Mont;

    private Fp(in UInt256 mont) { Mont = mont; }

    /// <inheritdoc/>
    public static Fp Zero => default;

    /// <inheritdoc/>
    public static Fp One => s_one;

    /// <summary>The element with canonical value <paramref name="x"/>; x must be below p (see <see cref="TryCreate"/>).</summary>
    public static Fp FromCanonical(in UInt256 x) => new(Montgomery.Multiply<Bn254BaseModulus>(x, s_r2));

    /// <summary>The element for a small integer.</summary>
    public static Fp FromUInt64(ulong x) => FromCanonical(new UInt256(x));

    /// <summary>False when <paramref name="x"/> ≥ p (not a canonical field element).</summary>
    public static bool TryCreate(in UInt256 x, out Fp value)
    {
        if (!UInt256.LessThan(x, Modulus))
        {
            value = default;
            return false;
        }
        value = FromCanonical(x);
        return true;
    }

    /// <summary>The canonical value in [0, p).</summary>
    public UInt256 ToCanonical() => Montgomery.Multiply<Bn254BaseModulus>(Mont, UInt256.One);

    /// <inheritdoc/>
    public bool IsZero => Mont.IsZero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp operator +(in Fp a, in Fp b) => new(Montgomery.Add<Bn254BaseModulus>(a.Mont, b.Mont));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp operator -(in Fp a, in Fp b) => new(Montgomery.Subtract<Bn254BaseModulus>(a.Mont, b.Mont));

    /// <inheritdoc/>
    public static Fp operator *(in Fp a, in Fp b) => new(Montgomery.Multiply<Bn254BaseModulus>(a.Mont, b.Mont));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp operator -(in Fp a) => new(Montgomery.Subtract<Bn254BaseModulus>(default, a.Mont));

    /// <inheritdoc/>
    public Fp Square() => this * this;

    /// <inheritdoc/>
    public Fp Double() => this + this;

    /// <summary>this^e by square-and-multiply.</summary>
    public Fp Pow(in UInt256 e)
    {
        Fp result = s_one;
        for (int i = 255 - UInt256.LeadingZeroCount(e); i >= 0; i--)
        {
            result = result.Square();
            if (Bit(e, i)) result *= this;
        }
        return result;
    }

    internal static bool Bit(in UInt256 e, int i)
    {
        ulong limb = (i >> 6) switch { 0 => e.U0, 1 => e.U1, 2 => e.U2, _ => e.U3 };
        return ((limb >> (i & 63)) & 1) != 0;
    }

    /// <inheritdoc/>
    public Fp Inverse() => Pow(s_pMinus2); // Fermat; 0 ↦ 0

    /// <inheritdoc/>
    public bool Equals(Fp other) => Mont == other.Mont;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp f && Equals(f);

    /// <inheritdoc/>
    public override int GetHashCode() => Mont.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => ToCanonical().ToString();
}
