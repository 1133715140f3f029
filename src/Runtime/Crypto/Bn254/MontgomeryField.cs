using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Crypto.Bn254;

/// <summary>
/// An element of the prime field F_m for the modulus <typeparamref name="TModulus"/>, stored in Montgomery form
/// (x·2^256 mod m). BN254 uses two: the base field F_p (<see cref="Bn254BaseModulus"/>, p =
/// 21888242871839275222246405745257275088696311157297823662689037894645226208583; files alias it as <c>Fp</c>) and the
/// scalar field F_r (<see cref="Bn254ScalarModulus"/>, the group order r =
/// 21888242871839275222246405745257275088548364400416034343698204186575808495617; alias <c>Fr</c>).
/// </summary>
internal readonly struct MontgomeryField<TModulus> : IField<MontgomeryField<TModulus>> where TModulus : struct, IMontgomeryModulus
{
    /// <summary>The field modulus m.</summary>
    public static readonly UInt256 Modulus = Montgomery.Modulus<TModulus>();

    private static readonly UInt256 s_r2 = Montgomery.PowerOfR(Modulus, 2);
    private static readonly UInt256 s_r3 = Montgomery.PowerOfR(Modulus, 3);
    private static readonly UInt256 s_mMinus2 = new(Modulus.U0 - 2, Modulus.U1, Modulus.U2, Modulus.U3);
    private static readonly MontgomeryField<TModulus> s_one = new(Montgomery.PowerOfR(Modulus, 1));

    /// <summary>The Montgomery representation.</summary>
    internal readonly UInt256 Mont;

    private MontgomeryField(in UInt256 mont) { Mont = mont; }

    /// <inheritdoc/>
    public static MontgomeryField<TModulus> Zero => default;

    /// <inheritdoc/>
    public static MontgomeryField<TModulus> One => s_one;

    /// <summary>The element with canonical value <paramref name="x"/>; x must be below m (see <see cref="TryCreate"/>).</summary>
    public static MontgomeryField<TModulus> FromCanonical(in UInt256 x) => new(Montgomery.Multiply<TModulus>(x, s_r2));

    /// <summary>The element for a small integer.</summary>
    public static MontgomeryField<TModulus> FromUInt64(ulong x) => FromCanonical(new UInt256(x));

    /// <summary>False when <paramref name="x"/> ≥ m (not a canonical field element).</summary>
    public static bool TryCreate(in UInt256 x, out MontgomeryField<TModulus> value)
    {
        if (!UInt256.LessThan(x, Modulus))
        {
            value = default;
            return false;
        }
        value = FromCanonical(x);
        return true;
    }

    /// <summary>The canonical value in [0, m).</summary>
    public UInt256 ToCanonical() => Montgomery.Multiply<TModulus>(Mont, UInt256.One);

    /// <inheritdoc/>
    public bool IsZero => Mont.IsZero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MontgomeryField<TModulus> operator +(in MontgomeryField<TModulus> a, in MontgomeryField<TModulus> b) => new(Montgomery.Add<TModulus>(a.Mont, b.Mont));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MontgomeryField<TModulus> operator -(in MontgomeryField<TModulus> a, in MontgomeryField<TModulus> b) => new(Montgomery.Subtract<TModulus>(a.Mont, b.Mont));

    /// <inheritdoc/>
    public static MontgomeryField<TModulus> operator *(in MontgomeryField<TModulus> a, in MontgomeryField<TModulus> b) => new(Montgomery.Multiply<TModulus>(a.Mont, b.Mont));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MontgomeryField<TModulus> operator -(in MontgomeryField<TModulus> a) => new(Montgomery.Subtract<TModulus>(default, a.Mont));

    /// <inheritdoc/>
    public MontgomeryField<TModulus> Square() => this * this;

    /// <inheritdoc/>
    public MontgomeryField<TModulus> Double() => this + this;

    /// <summary>this^e by square-and-multiply.</summary>
    public MontgomeryField<TModulus> Pow(in UInt256 e)
    {
        MontgomeryField<TModulus> result = s_one;
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
    public MontgomeryField<TModulus> Inverse() =>
        // The binary algorithm inverts the integer x·R, giving x⁻¹·R⁻¹; a Montgomery product with R³ restores x⁻¹·R.
        new(Montgomery.Multiply<TModulus>(Montgomery.InverseCanonical<TModulus>(Mont), s_r3));

    /// <summary>The inverse by Fermat's little theorem (reference for tests).</summary>
    internal MontgomeryField<TModulus> InverseByFermat() => Pow(s_mMinus2);

    /// <inheritdoc/>
    public bool Equals(MontgomeryField<TModulus> other) => Mont == other.Mont;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MontgomeryField<TModulus> f && Equals(f);

    /// <inheritdoc/>
    public override int GetHashCode() => Mont.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => ToCanonical().ToString();
}
