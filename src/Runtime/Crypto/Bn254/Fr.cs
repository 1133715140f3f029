using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Crypto.Bn254;

/// <summary>
/// An element of the BN254 scalar field F_r (the group order), r = 21888242871839275222246405745257275088548364400416034343698204186575808495617,
/// stored in Montgomery form (x·2^256 mod r).
/// </summary>
internal readonly struct Fr : IField<Fr>
{
    /// <summary>The group order r.</summary>
    public static readonly UInt256 Modulus = Montgomery.Modulus<Bn254ScalarModulus>();

    private static readonly UInt256 s_r2 = Montgomery.PowerOfR(Modulus, 2);
    private static readonly UInt256 s_rMinus2 = new(Modulus.U0 - 2, Modulus.U1, Modulus.U2, Modulus.U3);
    private static readonly Fr s_one = new(Montgomery.PowerOfR(Modulus, 1));

    /// <summary>The Montgomery representation.</summary>
    internal readonly UInt256 Mont;

    private Fr(in UInt256 mont) { Mont = mont; }

    /// <inheritdoc/>
    public static Fr Zero => default;

    /// <inheritdoc/>
    public static Fr One => s_one;

    /// <summary>The element with canonical value <paramref name="x"/>; x must be below r (see <see cref="TryCreate"/>).</summary>
    public static Fr FromCanonical(in UInt256 x) => new(Montgomery.Multiply<Bn254ScalarModulus>(x, s_r2));

    /// <summary>The element for a small integer.</summary>
    public static Fr FromUInt64(ulong x) => FromCanonical(new UInt256(x));

    /// <summary>False when <paramref name="x"/> ≥ r (not a canonical field element).</summary>
    public static bool TryCreate(in UInt256 x, out Fr value)
    {
        if (!UInt256.LessThan(x, Modulus))
        {
            value = default;
            return false;
        }
        value = FromCanonical(x);
        return true;
    }

    /// <summary>The canonical value in [0, r).</summary>
    public UInt256 ToCanonical() => Montgomery.Multiply<Bn254ScalarModulus>(Mont, UInt256.One);

    /// <inheritdoc/>
    public bool IsZero => Mont.IsZero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fr operator +(in Fr a, in Fr b) => new(Montgomery.Add<Bn254ScalarModulus>(a.Mont, b.Mont));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fr operator -(in Fr a, in Fr b) => new(Montgomery.Subtract<Bn254ScalarModulus>(a.Mont, b.Mont));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fr operator *(in Fr a, in Fr b) => new(Montgomery.Multiply<Bn254ScalarModulus>(a.Mont, b.Mont));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fr operator -(in Fr a) => new(Montgomery.Subtract<Bn254ScalarModulus>(default, a.Mont));

    /// <inheritdoc/>
    public Fr Square() => this * this;

    /// <inheritdoc/>
    public Fr Double() => this + this;

    /// <summary>this^e by square-and-multiply.</summary>
    public Fr Pow(in UInt256 e)
    {
        Fr result = s_one;
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
    public Fr Inverse() => Pow(s_rMinus2); // Fermat; 0 ↦ 0

    /// <inheritdoc/>
    public bool Equals(Fr other) => Mont == other.Mont;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fr f && Equals(f);

    /// <inheritdoc/>
    public override int GetHashCode() => Mont.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => ToCanonical().ToString();
}
