namespace Jevm.Crypto.Bls12381;

/// <summary>An affine point (X, Y) of y² = x³ + b, or the point at infinity.</summary>
internal readonly struct AffinePoint<TField> where TField : struct, IBlsField<TField>
{
    public readonly TField X, Y;
    public readonly bool IsInfinity;

    public AffinePoint(in TField x, in TField y) { X = x; Y = y; IsInfinity = false; }

    private AffinePoint(bool infinity) { X = default; Y = default; IsInfinity = infinity; }

    public static AffinePoint<TField> Infinity => new(true);

    public bool IsOnCurve()
    {
        if (IsInfinity) return true;
        TField rhs = TField.Add(TField.Mul(TField.Sqr(X), X), TField.CurveB);
        return TField.Eq(TField.Sqr(Y), rhs);
    }

    public JacobianPoint<TField> ToJacobian() =>
        IsInfinity ? JacobianPoint<TField>.Infinity : new JacobianPoint<TField>(X, Y, TField.One);

    public AffinePoint<TField> Negate() => IsInfinity ? this : new AffinePoint<TField>(X, TField.Neg(Y));

    public bool Equals(in AffinePoint<TField> o) =>
        IsInfinity ? o.IsInfinity : !o.IsInfinity && TField.Eq(X, o.X) && TField.Eq(Y, o.Y);
}

/// <summary>
/// A point of y² = x³ + b in Jacobian coordinates (x = X/Z², y = Y/Z³; Z = 0 is infinity). Generic over the field so
/// that G1 (Fp) and G2 (Fp2) share one implementation; the formulas are the a = 0 ones of the Explicit-Formulas Database.
/// </summary>
internal readonly struct JacobianPoint<TField> where TField : struct, IBlsField<TField>
{
    public readonly TField X, Y, Z;

    public JacobianPoint(in TField x, in TField y, in TField z) { X = x; Y = y; Z = z; }

    public static JacobianPoint<TField> Infinity => new(TField.One, TField.One, TField.Zero);

    public bool IsInfinity => Z.IsZero;

    public AffinePoint<TField> ToAffine()
    {
        if (IsInfinity) return AffinePoint<TField>.Infinity;
        TField zi = TField.Inverse(Z);
        TField zi2 = TField.Sqr(zi);
        return new AffinePoint<TField>(TField.Mul(X, zi2), TField.Mul(Y, TField.Mul(zi2, zi)));
    }

    public JacobianPoint<TField> Negate() => new(X, TField.Neg(Y), Z);

    public bool IsOnCurve()
    {
        if (IsInfinity) return true;
        // Y² = X³ + b·Z⁶
        TField z2 = TField.Sqr(Z);
        TField z6 = TField.Mul(TField.Sqr(z2), z2);
        return TField.Eq(TField.Sqr(Y), TField.Add(TField.Mul(TField.Sqr(X), X), TField.Mul(TField.CurveB, z6)));
    }

    public bool Equals(in JacobianPoint<TField> o)
    {
        if (IsInfinity || o.IsInfinity) return IsInfinity && o.IsInfinity;
        TField z1z1 = TField.Sqr(Z), z2z2 = TField.Sqr(o.Z);
        if (!TField.Eq(TField.Mul(X, z2z2), TField.Mul(o.X, z1z1))) return false;
        return TField.Eq(TField.Mul(Y, TField.Mul(z2z2, o.Z)), TField.Mul(o.Y, TField.Mul(z1z1, Z)));
    }

    /// <summary>2·this (dbl-2009-l).</summary>
    public JacobianPoint<TField> Double()
    {
        if (IsInfinity) return this;
        TField a = TField.Sqr(X), b = TField.Sqr(Y), c = TField.Sqr(b);
        TField d = TField.Sub(TField.Sub(TField.Sqr(TField.Add(X, b)), a), c);
        d = TField.Dbl(d);
        TField e = TField.Add(TField.Dbl(a), a);
        TField f = TField.Sqr(e);
        TField x3 = TField.Sub(f, TField.Dbl(d));
        TField c8 = TField.Dbl(TField.Dbl(TField.Dbl(c)));
        TField y3 = TField.Sub(TField.Mul(e, TField.Sub(d, x3)), c8);
        TField z3 = TField.Dbl(TField.Mul(Y, Z));
        return new JacobianPoint<TField>(x3, y3, z3);
    }

    /// <summary>this + q for any two points (add-2007-bl, with the doubling and inverse cases).</summary>
    public JacobianPoint<TField> Add(in JacobianPoint<TField> q)
    {
        if (IsInfinity) return q;
        if (q.IsInfinity) return this;
        TField z1z1 = TField.Sqr(Z), z2z2 = TField.Sqr(q.Z);
        TField u1 = TField.Mul(X, z2z2), u2 = TField.Mul(q.X, z1z1);
        TField s1 = TField.Mul(Y, TField.Mul(q.Z, z2z2)), s2 = TField.Mul(q.Y, TField.Mul(Z, z1z1));
        TField h = TField.Sub(u2, u1);
        TField r = TField.Dbl(TField.Sub(s2, s1));
        if (h.IsZero) return r.IsZero ? Double() : Infinity;
        TField i = TField.Sqr(TField.Dbl(h));
        TField j = TField.Mul(h, i);
        TField v = TField.Mul(u1, i);
        TField x3 = TField.Sub(TField.Sub(TField.Sqr(r), j), TField.Dbl(v));
        TField y3 = TField.Sub(TField.Mul(r, TField.Sub(v, x3)), TField.Dbl(TField.Mul(s1, j)));
        TField z3 = TField.Mul(TField.Sub(TField.Sub(TField.Sqr(TField.Add(Z, q.Z)), z1z1), z2z2), h);
        return new JacobianPoint<TField>(x3, y3, z3);
    }

    /// <summary>this + q for an affine q (madd-2007-bl, with the doubling and inverse cases).</summary>
    public JacobianPoint<TField> AddAffine(in AffinePoint<TField> q)
    {
        if (q.IsInfinity) return this;
        if (IsInfinity) return q.ToJacobian();
        TField z1z1 = TField.Sqr(Z);
        TField u2 = TField.Mul(q.X, z1z1);
        TField s2 = TField.Mul(q.Y, TField.Mul(Z, z1z1));
        TField h = TField.Sub(u2, X);
        TField r = TField.Dbl(TField.Sub(s2, Y));
        if (h.IsZero) return r.IsZero ? Double() : Infinity;
        TField hh = TField.Sqr(h);
        TField i = TField.Dbl(TField.Dbl(hh));
        TField j = TField.Mul(h, i);
        TField v = TField.Mul(X, i);
        TField x3 = TField.Sub(TField.Sub(TField.Sqr(r), j), TField.Dbl(v));
        TField y3 = TField.Sub(TField.Mul(r, TField.Sub(v, x3)), TField.Dbl(TField.Mul(Y, j)));
        TField z3 = TField.Sub(TField.Sub(TField.Sqr(TField.Add(Z, h)), z1z1), hh);
        return new JacobianPoint<TField>(x3, y3, z3);
    }

    /// <summary>k·this for a big-endian unsigned scalar of any length (double-and-add; scalars are public).</summary>
    public JacobianPoint<TField> Multiply(ReadOnlySpan<byte> scalarBigEndian)
    {
        var acc = Infinity;
        for (int i = 0; i < scalarBigEndian.Length; i++)
        {
            byte b = scalarBigEndian[i];
            for (int bit = 7; bit >= 0; bit--)
            {
                acc = acc.Double();
                if (((b >> bit) & 1) != 0) acc = acc.Add(this);
            }
        }
        return acc;
    }

    /// <summary>k·this for a 64-bit scalar.</summary>
    public JacobianPoint<TField> Multiply(ulong k)
    {
        var acc = Infinity;
        for (int bit = 63 - System.Numerics.BitOperations.LeadingZeroCount(k); bit >= 0; bit--)
        {
            acc = acc.Double();
            if (((k >> bit) & 1) != 0) acc = acc.Add(this);
        }
        return acc;
    }
}
