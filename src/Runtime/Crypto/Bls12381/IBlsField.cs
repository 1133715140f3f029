namespace Jevm.Crypto.Bls12381;

/// <summary>
/// The field operations the generic curve code needs, as static abstract members so that the JIT specializes
/// <see cref="JacobianPoint{TField}"/> for Fp (G1) and Fp2 (G2) with no interface dispatch.
/// </summary>
internal interface IBlsField<T> where T : struct, IBlsField<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    /// <summary>The constant b of the curve y² = x³ + b over this field (4 for G1, 4(1+u) for G2).</summary>
    static abstract T CurveB { get; }
    static abstract T Add(in T a, in T b);
    static abstract T Sub(in T a, in T b);
    static abstract T Mul(in T a, in T b);
    static abstract T Sqr(in T a);
    static abstract T Dbl(in T a);
    static abstract T Neg(in T a);
    static abstract T Inverse(in T a);
    static abstract bool Eq(in T a, in T b);
    bool IsZero { get; }
}
