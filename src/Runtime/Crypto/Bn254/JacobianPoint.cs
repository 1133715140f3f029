using Jevm.Numerics;
using Fp = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254BaseModulus>;

namespace Jevm.Crypto.Bn254;

/// <summary>
/// A point (X/Z², Y/Z³) of a short Weierstrass curve y² = x³ + b (a = 0) over field <typeparamref name="T"/>,
/// in Jacobian coordinates; Z = 0 is the point at infinity.
/// </summary>
internal readonly struct JacobianPoint<T> where T : struct, IField<T>
{
    /// <summary>Jacobian X.</summary>
    public readonly T X;

    /// <summary>Jacobian Y.</summary>
    public readonly T Y;

    /// <summary>Jacobian Z (zero at infinity).</summary>
    public readonly T Z;

    /// <summary>Creates (X, Y, Z).</summary>
    public JacobianPoint(in T x, in T y, in T z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    /// <summary>The point at infinity.</summary>
    public static JacobianPoint<T> Infinity => new(T.One, T.One, T.Zero);

    /// <summary>The point with affine coordinates (x, y).</summary>
    public static JacobianPoint<T> FromAffine(in T x, in T y) => new(x, y, T.One);

    /// <summary>True at infinity.</summary>
    public bool IsInfinity => Z.IsZero;

    /// <summary>−P.</summary>
    public JacobianPoint<T> Negate() => new(X, -Y, Z);

    /// <summary>2P (formula dbl-2009-l for a = 0).</summary>
    public JacobianPoint<T> Double()
    {
        if (IsInfinity || Y.IsZero) return Infinity;
        T a = X.Square();
        T b = Y.Square();
        T c = b.Square();
        T d = ((X + b).Square() - a - c).Double();
        T e = a.Double() + a;
        T f = e.Square();
        T x3 = f - d.Double();
        T c8 = c.Double().Double().Double();
        T y3 = e * (d - x3) - c8;
        T z3 = (Y * Z).Double();
        return new(x3, y3, z3);
    }

    /// <summary>P + Q, handling infinity, P = Q and P = −Q.</summary>
    public JacobianPoint<T> Add(in JacobianPoint<T> q)
    {
        if (IsInfinity) return q;
        if (q.IsInfinity) return this;
        T z1z1 = Z.Square();
        T z2z2 = q.Z.Square();
        T u1 = X * z2z2;
        T u2 = q.X * z1z1;
        T s1 = Y * q.Z * z2z2;
        T s2 = q.Y * Z * z1z1;
        T h = u2 - u1;
        T r = s2 - s1;
        if (h.IsZero) return r.IsZero ? Double() : Infinity;
        T hh = h.Square();
        T hhh = h * hh;
        T v = u1 * hh;
        T x3 = r.Square() - hhh - v.Double();
        T y3 = r * (v - x3) - s1 * hhh;
        T z3 = Z * q.Z * h;
        return new(x3, y3, z3);
    }

    /// <summary>P + (qx, qy) for an affine point Q (madd-2007-bl without the factor-2 scaling), handling P = ±Q.</summary>
    public JacobianPoint<T> AddAffine(in T qx, in T qy)
    {
        if (IsInfinity) return FromAffine(qx, qy);
        T zz = Z.Square();
        T h = qx * zz - X;
        T n = qy * Z * zz - Y;
        if (h.IsZero) return n.IsZero ? Double() : Infinity;
        T hh = h.Square();
        T hhh = h * hh;
        T v = X * hh;
        T x3 = n.Square() - hhh - v.Double();
        T y3 = n * (v - x3) - Y * hhh;
        return new(x3, y3, Z * h);
    }

    /// <summary>k·P by double-and-add from the most significant bit (mixed additions when P is affine, Z = 1).</summary>
    public JacobianPoint<T> Multiply(in UInt256 k)
    {
        if (IsInfinity) return this;
        bool affine = Z.Equals(T.One);
        var result = Infinity;
        for (int i = 255 - UInt256.LeadingZeroCount(k); i >= 0; i--)
        {
            result = result.Double();
            if (Fp.Bit(k, i)) result = affine ? result.AddAffine(X, Y) : result.Add(this);
        }
        return result;
    }

    /// <summary>Affine coordinates; false (and zeros) at infinity.</summary>
    public bool TryToAffine(out T x, out T y)
    {
        if (IsInfinity)
        {
            x = T.Zero;
            y = T.Zero;
            return false;
        }
        T zInv = Z.Inverse();
        T zInv2 = zInv.Square();
        x = X * zInv2;
        y = Y * zInv2 * zInv;
        return true;
    }

    /// <summary>Same point (projective equality).</summary>
    public bool IsSamePoint(in JacobianPoint<T> q)
    {
        if (IsInfinity || q.IsInfinity) return IsInfinity && q.IsInfinity;
        T z1z1 = Z.Square();
        T z2z2 = q.Z.Square();
        return (X * z2z2).Equals(q.X * z1z1) && (Y * q.Z * z2z2).Equals(q.Y * Z * z1z1);
    }
}
