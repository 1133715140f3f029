namespace Jevm.Crypto.Bn254;

/// <summary>The field operations the generic curve code (<see cref="JacobianPoint{T}"/>) needs.</summary>
internal interface IField<T> : IEquatable<T> where T : struct, IField<T>
{
    /// <summary>The additive identity.</summary>
    static abstract T Zero { get; }

    /// <summary>The multiplicative identity.</summary>
    static abstract T One { get; }

    /// <summary>Sum.</summary>
    static abstract T operator +(in T a, in T b);

    /// <summary>Difference.</summary>
    static abstract T operator -(in T a, in T b);

    /// <summary>Product.</summary>
    static abstract T operator *(in T a, in T b);

    /// <summary>Negation.</summary>
    static abstract T operator -(in T a);

    /// <summary>True for zero.</summary>
    bool IsZero { get; }

    /// <summary>The square.</summary>
    T Square();

    /// <summary>The doubled value.</summary>
    T Double();

    /// <summary>The multiplicative inverse (zero maps to zero).</summary>
    T Inverse();
}
