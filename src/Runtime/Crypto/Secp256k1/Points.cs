using System.Runtime.CompilerServices;

namespace Jevm.Crypto.Secp256k1;

/// <summary>An affine point (X, Y) of secp256k1 (never the point at infinity: tables and inputs only).</summary>
internal readonly struct AffinePoint
{
    /// <summary>The x coordinate.</summary>
    public readonly FieldElement X;

    /// <summary>The y coordinate.</summary>
    public readonly FieldElement Y;

    /// <summary>Creates (x, y).</summary>
    public AffinePoint(in FieldElement x, in FieldElement y)
    {
        X = x;
        Y = y;
    }

    /// <summary>True when y² = x³ + 7.</summary>
    public bool IsOnCurve() => Y.Square().Equals(X.Square() * X + FieldElement.FromUInt64(7));
}

/// <summary>
/// A point (X/Z², Y/Z³) of a curve y² = x³ + b in Jacobian coordinates; Z = 0 is the point at infinity. The formulas
/// are the a = 0 ones and never use b, so the same code also runs on the isomorphic curves y² = x³ + 7·z⁶ that
/// <see cref="Secp256k1Curve"/> uses to build its tables without inversions.
/// </summary>
internal readonly struct JacobianPoint
{
    /// <summary>Jacobian X.</summary>
    public readonly FieldElement X;

    /// <summary>Jacobian Y.</summary>
    public readonly FieldElement Y;

    /// <summary>Jacobian Z (zero at infinity).</summary>
    public readonly FieldElement Z;

    /// <summary>Creates (X, Y, Z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public JacobianPoint(in FieldElement x, in FieldElement y, in FieldElement z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    /// <summary>The point at infinity.</summary>
    public static JacobianPoint Infinity => default;

    /// <summary>The affine point p with Z = 1.</summary>
    public static JacobianPoint FromAffine(in AffinePoint p) => new(p.X, p.Y, FieldElement.One);

    /// <summary>True at infinity.</summary>
    public bool IsInfinity => Z.IsZero;

    /// <summary>2p (dbl-2009-l for a = 0: 2 multiplications, 5 squarings).</summary>
    public static JacobianPoint Double(in JacobianPoint p)
    {
        // No point of secp256k1 has y = 0 (the group has odd order), so only infinity needs a special case.
        if (p.Z.IsZero) return p;
        FieldElement a = p.X.Square();
        FieldElement b = p.Y.Square();
        FieldElement c = b.Square();
        FieldElement d = ((p.X + b).Square() - a - c).Double();
        FieldElement e = a.Double() + a;
        FieldElement f = e.Square();
        FieldElement x3 = f - d.Double();
        FieldElement y3 = e * (d - x3) - c.Double().Double().Double();
        FieldElement z3 = (p.Y * p.Z).Double();
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>
    /// p + q for an affine q, or p − q when <paramref name="negateQ"/> (madd-2007-bl: 7 multiplications, 4 squarings);
    /// handles p at infinity, p = q and p = −q.
    /// </summary>
    public static JacobianPoint AddAffine(in JacobianPoint p, in AffinePoint q, bool negateQ)
    {
        FieldElement qy = negateQ ? -q.Y : q.Y;
        if (p.Z.IsZero) return new JacobianPoint(q.X, qy, FieldElement.One);
        FieldElement z1z1 = p.Z.Square();
        FieldElement u2 = q.X * z1z1;
        FieldElement s2 = qy * p.Z * z1z1;
        FieldElement h = u2 - p.X;
        FieldElement sDiff = s2 - p.Y;
        if (h.IsZero) return sDiff.IsZero ? Double(p) : Infinity;
        FieldElement hh = h.Square();
        FieldElement i = hh.Double().Double();
        FieldElement j = h * i;
        FieldElement r = sDiff.Double();
        FieldElement v = p.X * i;
        FieldElement x3 = r.Square() - j - v.Double();
        FieldElement y3 = r * (v - x3) - (p.Y * j).Double();
        FieldElement z3 = (p.Z + h).Square() - z1z1 - hh;
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>Affine coordinates; false at infinity.</summary>
    public bool TryToAffine(out AffinePoint affine)
    {
        if (Z.IsZero)
        {
            affine = default;
            return false;
        }
        FieldElement zInv = Z.Inverse();
        FieldElement zInv2 = zInv.Square();
        affine = new AffinePoint(X * zInv2, Y * zInv2 * zInv);
        return true;
    }
}
