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
/// are the a = 0 ones and never use b, so the same code also runs on the isomorphic curves y² = x³ + 7·z⁶, reached by
/// (x, y) ↦ (x·z², y·z³), that <see cref="Secp256k1Curve"/> uses to build its tables without inversions.
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

    /// <summary>2p: 3 multiplications, 4 squarings, 7 additions (counting the halving).</summary>
    public static JacobianPoint Double(in JacobianPoint p)
    {
        // No point of secp256k1 has y = 0 (the group has odd order), so only infinity needs a special case.
        if (p.Z.IsZero) return p;
        // The a = 0 doubling with the slope's factor 2 moved into Z (λ = 3x²/2y = L/(Y·Z)): L = 3X²/2, S = Y²,
        // T = X·S; X3 = L² − 2T, Y3 = L·(T − X3) − S², Z3 = Y·Z. Halving costs about one addition, and the factor-2
        // bookkeeping of dbl-2009-l (four more additions) disappears.
        FieldElement xx = p.X.Square();
        FieldElement l = (xx.Double() + xx).Half();
        FieldElement s = p.Y.Square();
        FieldElement t = p.X * s;
        FieldElement x3 = l.Square() - t.Double();
        FieldElement y3 = l * (t - x3) - s.Square();
        FieldElement z3 = p.Y * p.Z;
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>
    /// p + q for an affine q, or p − q when <paramref name="negateQ"/> (8 multiplications, 3 squarings, 7 additions);
    /// handles p at infinity, p = q and p = −q.
    /// </summary>
    public static JacobianPoint AddAffine(in JacobianPoint p, in AffinePoint q, bool negateQ)
    {
        FieldElement qy = negateQ ? -q.Y : q.Y;
        if (p.Z.IsZero) return new JacobianPoint(q.X, qy, FieldElement.One);
        var sum = MixedAdd(p, p.Z, q.X, qy, out FieldElement h, out bool equalY);
        return h.IsZero ? Exceptional(p, equalY) : sum;
    }

    /// <summary>
    /// p + q where q = (x, y) is affine on secp256k1 itself while p lives on the isomorphic curve reached by
    /// (x, y) ↦ (x·z², y·z³) (<paramref name="z"/>, with its square and cube): q is added as the point (x·z², y·z³)
    /// without computing those, one multiplication more than <see cref="AddAffine"/>. Same special cases.
    /// </summary>
    public static JacobianPoint AddAffineFromBaseCurve(in JacobianPoint p, in AffinePoint q, bool negateQ, in FieldElement z, in FieldElement z2, in FieldElement z3)
    {
        FieldElement qy = negateQ ? -q.Y : q.Y;
        if (p.Z.IsZero) return new JacobianPoint(q.X * z2, qy * z3, FieldElement.One);
        // p = (X, Y, Z) here is (X, Y, Z·z) on secp256k1; add there, and the sum's Z there, Z·z·H, is Z·H here.
        var sum = MixedAdd(p, p.Z * z, q.X, qy, out FieldElement h, out bool equalY);
        return h.IsZero ? Exceptional(p, equalY) : sum;
    }

    /// <summary>
    /// p + q for p not at infinity and q ≠ ±p (the caller guarantees it), with <paramref name="zRatio"/> = Z3 / Z1,
    /// so tables can be brought to one Z without inverting.
    /// </summary>
    public static JacobianPoint AddAffineDistinct(in JacobianPoint p, in AffinePoint q, out FieldElement zRatio)
    {
        var sum = MixedAdd(p, p.Z, q.X, q.Y, out zRatio, out _);
        return sum;
    }

    // p = q gives 2p, p = −q infinity (H = 0).
    private static JacobianPoint Exceptional(in JacobianPoint p, bool equalY) => equalY ? Double(p) : Infinity;

    // p + (qx, qy) with pz the Z of p on the curve of (qx, qy); the result's Z is p.Z·H. When H = 0 (x coordinates
    // equal) it returns default and tells whether the y coordinates are equal too. With U2 = qx·pz², S2 = qy·pz³,
    // H = U2 − X1, R = S2 − Y1: X3 = R² − H³ − 2·X1·H², Y3 = R·(X1·H² − X3) − Y1·H³, Z3 = Z1·H.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static JacobianPoint MixedAdd(in JacobianPoint p, in FieldElement pz, in FieldElement qx, in FieldElement qy, out FieldElement h, out bool equalY)
    {
        FieldElement z1z1 = pz.Square();
        FieldElement u2 = qx * z1z1;
        FieldElement s2 = qy * pz * z1z1;
        h = u2 - p.X;
        FieldElement r = s2 - p.Y;
        if (h.IsZero)
        {
            equalY = r.IsZero;
            return default;
        }
        equalY = false;
        FieldElement hh = h.Square();
        FieldElement hhh = h * hh;
        FieldElement v = p.X * hh;
        FieldElement x3 = r.Square() - hhh - v.Double();
        FieldElement y3 = r * (v - x3) - p.Y * hhh;
        FieldElement z3 = p.Z * h;
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
