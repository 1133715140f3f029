using Jevm.Numerics;

namespace Jevm.Crypto.Secp256k1;

/// <summary>
/// secp256k1 (y² = x³ + 7 over F_p) public-key recovery for ECDSA signatures: ecrecover, EIP-7702 authorities and
/// transaction senders. Allocation-free and variable time (all inputs are public).
/// </summary>
/// <remarks>
/// Q = r⁻¹·(s·R − e·G) is computed as u1·G + u2·R in one Straus–Shamir loop of about 129 doublings:
/// u2 is split by the GLV endomorphism into k1 + k2·λ (R and λR = (β·x, y) get width-5 wNAF digits and eight-entry
/// affine tables built per call), u1 into its two 128-bit halves (G and 2^128·G get wider wNAF digits and affine tables
/// built once). See docs/secp256k1.md.
/// </remarks>
internal static class Secp256k1Curve
{
    /// <summary>β, a cube root of unity mod p: (β·x, y) = λ·(x, y) for every point.</summary>
    public static readonly FieldElement Beta = FieldElement.Reduce(
        new UInt256(0xC1396C28719501EE, 0x9CF0497512F58995, 0x6E64479EAC3434E9, 0x7AE96A2B657C0710));

    /// <summary>The generator G.</summary>
    public static readonly AffinePoint G = new(
        FieldElement.Reduce(new UInt256(0x59F2815B16F81798, 0x029BFCDB2DCE28D9, 0x55A06295CE870B07, 0x79BE667EF9DCBBAC)),
        FieldElement.Reduce(new UInt256(0x9C47D08FFB10D4B8, 0xFD17B448A6855419, 0x5DA4FBFC0E1108A8, 0x483ADA7726A3C465)));

    // wNAF width for R and λR, whose tables are built per call: width 6 would take 16 entries, about 8 more additions
    // (and rescalings) to build than width 5's 8, to save about 6 additions in the loop.
    private const int WindowR = 5;

    // wNAF width for the fixed G tables: 2^(w−2) = 256 points each (16 KiB), built once, about 12 additions per
    // 128-bit half instead of about 21 with width 5.
    internal const int WindowG = 10;

    // Digits per wNAF: the value's bit length plus one (a final carry). The scalars here are below 2^128 (k1, k2 and
    // u1's halves), but any value below 2^256 fits.
    private const int MaxDigits = 257;

    private static readonly FieldElement s_seven = FieldElement.FromUInt64(7);

    // (2j + 1)·G and (2j + 1)·2^128·G for j < 2^(WindowG − 2).
    private static readonly AffinePoint[] s_gTable = BuildTable(G, WindowG);
    private static readonly AffinePoint[] s_g128Table = BuildTable(MultiplyByPowerOfTwo(G, 128), WindowG);

    private static AffinePoint MultiplyByPowerOfTwo(in AffinePoint p, int k)
    {
        var q = JacobianPoint.FromAffine(p);
        for (int i = 0; i < k; i++) q = JacobianPoint.Double(q);
        q.TryToAffine(out var a);
        return a;
    }

    private static AffinePoint[] BuildTable(in AffinePoint p, int window)
    {
        int size = 1 << (window - 2);
        var table = new AffinePoint[size];
        OddMultiples(p, table, new JacobianPoint[size], new FieldElement[size], out FieldElement z);
        // Back from the isomorphic curve to secp256k1: (x/z², y/z³).
        FieldElement zInv = z.Inverse();
        FieldElement zInv2 = zInv.Square();
        FieldElement zInv3 = zInv2 * zInv;
        for (int j = 0; j < size; j++) table[j] = new AffinePoint(table[j].X * zInv2, table[j].Y * zInv3);
        return table;
    }

    /// <summary>
    /// table[j] = (2j + 1)·p for every j, as affine points of the curve isomorphic to secp256k1 by
    /// (x, y) ↦ (x·z², y·z³) for the returned <paramref name="z"/>, without any inversion. The scratch spans have the
    /// table's length. p must be a curve point (of order n, so no two multiples here are equal or opposite).
    /// </summary>
    internal static void OddMultiples(in AffinePoint p, Span<AffinePoint> table, Span<JacobianPoint> jacobian, Span<FieldElement> zRatios, out FieldElement z)
    {
        int m = table.Length;
        JacobianPoint d = JacobianPoint.Double(JacobianPoint.FromAffine(p));
        // 2p = (X, Y, Z) is the affine point (X, Y) on the curve reached by the factor Z; there the odd multiples take
        // mixed additions only.
        FieldElement dz2 = d.Z.Square();
        var d2 = new AffinePoint(d.X, d.Y);
        jacobian[0] = new JacobianPoint(p.X * dz2, p.Y * dz2 * d.Z, FieldElement.One);
        for (int j = 1; j < m; j++) jacobian[j] = JacobianPoint.AddAffineDistinct(jacobian[j - 1], d2, out zRatios[j - 1]);

        // Rescale every point to the last one's Z, walking back with the ratios Z_j+1 / Z_j: multiple j is then
        // (X_j·s², Y_j·s³) with s = Z_last / Z_j, affine on the curve reached by Z_last·Z from secp256k1.
        FieldElement scale = FieldElement.One;
        for (int j = m - 1; j >= 0; j--)
        {
            if (j < m - 1) scale *= zRatios[j];
            FieldElement scale2 = scale.Square();
            table[j] = new AffinePoint(jacobian[j].X * scale2, jacobian[j].Y * scale2 * scale);
        }
        z = jacobian[m - 1].Z * d.Z;
    }

    /// <summary>
    /// Writes the width-<paramref name="w"/> NAF of k into <paramref name="digits"/> (all zero on entry, at least
    /// bit length + 1 long): odd digits in (−2^(w−1), 2^(w−1)) with at least w − 1 zeros after each nonzero one,
    /// negated when <paramref name="negate"/>. Returns the index of the highest nonzero digit plus one (0 for k = 0).
    /// k must be below 2^256 − 2^(w−1) so that adding a negative digit's magnitude cannot overflow.
    /// </summary>
    internal static int Wnaf(UInt256 k, int w, Span<short> digits, bool negate)
    {
        int half = 1 << (w - 1);
        ulong mask = (1UL << w) - 1;
        int i = 0, length = 0;
        while (!k.IsZero)
        {
            int tz = UInt256.TrailingZeroCount(k);
            UInt256.ShiftRight(k, tz, out k);
            i += tz;
            int d = (int)(k.U0 & mask);
            if (d >= half) d -= half << 1;
            // k − d has its low w bits clear.
            if (d > 0) UInt256.Subtract(k, new UInt256((ulong)d), out k);
            else UInt256.Add(k, new UInt256((ulong)-d), out k);
            digits[i] = (short)(negate ? -d : d);
            length = i + 1;
            UInt256.ShiftRight(k, w, out k);
            i += w;
        }
        return length;
    }

    /// <summary>
    /// Recovers the public key (x ‖ y, 64 big-endian bytes) that signed the 32-byte <paramref name="hash"/> with
    /// (<paramref name="recoveryId"/>, r, s). False when recoveryId is not 0 or 1, r or s is outside [1, n − 1], r is
    /// not the x coordinate of a curve point, or the key would be the point at infinity. Only x = r is tried (never
    /// r + n), as Ethereum does.
    /// </summary>
    public static bool TryRecoverPublicKey(ReadOnlySpan<byte> hash, int recoveryId, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, Span<byte> publicKey64)
    {
        if ((uint)recoveryId > 1) return false;
        UInt256 r = UInt256.ReadBigEndian(r32);
        UInt256 s = UInt256.ReadBigEndian(s32);
        if (!Scalar.IsValidNonZero(r) || !Scalar.IsValidNonZero(s)) return false;

        // R = (r, y) with y of the requested parity; r < n < p, so r is a field element.
        FieldElement x = FieldElement.Reduce(r);
        if (!(x.Square() * x + s_seven).TrySqrt(out FieldElement y)) return false;
        if (y.IsOdd != (recoveryId == 1)) y = -y;
        var bigR = new AffinePoint(x, y);

        // Q = r⁻¹·(s·R − e·G) = u1·G + u2·R with u1 = −e·r⁻¹ and u2 = s·r⁻¹ (mod n); e ≥ n is reduced.
        UInt256 e = Scalar.Reduce(UInt256.ReadBigEndian(hash));
        UInt256 rInv = Scalar.Inverse(r);
        UInt256 u1 = Scalar.Negate(Scalar.Multiply(e, rInv));
        UInt256 u2 = Scalar.Multiply(s, rInv);

        if (!MultiplyAdd(u1, bigR, u2).TryToAffine(out AffinePoint q)) return false;
        q.X.WriteBigEndian(publicKey64.Slice(0, 32));
        q.Y.WriteBigEndian(publicKey64.Slice(32, 32));
        return true;
    }

    /// <summary>u1·G + u2·p for scalars below n and a curve point p (Jacobian, possibly infinity).</summary>
    internal static JacobianPoint MultiplyAdd(in UInt256 u1, in AffinePoint p, in UInt256 u2)
    {
        // Tables for p and λp: (2j + 1)·p, and λ·(2j + 1)·p = (β·x, y), both affine on the curve isomorphic by z.
        // The loop runs on that curve too: its additions of p's multiples are plain mixed additions, those of G's
        // (affine on secp256k1) take one multiplication more, and the result maps back by multiplying Z by z.
        const int tableSize = 1 << (WindowR - 2);
        Span<AffinePoint> tableP = stackalloc AffinePoint[tableSize];
        Span<AffinePoint> tableLambdaP = stackalloc AffinePoint[tableSize];
        Span<JacobianPoint> jacobian = stackalloc JacobianPoint[tableSize];
        Span<FieldElement> zRatios = stackalloc FieldElement[tableSize];
        OddMultiples(p, tableP, jacobian, zRatios, out FieldElement z);
        for (int j = 0; j < tableSize; j++) tableLambdaP[j] = new AffinePoint(tableP[j].X * Beta, tableP[j].Y);
        FieldElement z2 = z.Square();
        FieldElement z3 = z2 * z;

        Span<short> digits = stackalloc short[4 * MaxDigits];
        Span<short> dP = digits.Slice(0, MaxDigits);
        Span<short> dLambdaP = digits.Slice(MaxDigits, MaxDigits);
        Span<short> dG = digits.Slice(2 * MaxDigits, MaxDigits);
        Span<short> dG128 = digits.Slice(3 * MaxDigits, MaxDigits);

        Scalar.SplitLambda(u2, out UInt256 k1, out bool k1Negative, out UInt256 k2, out bool k2Negative);
        int length = Wnaf(k1, WindowR, dP, k1Negative);
        length = Math.Max(length, Wnaf(k2, WindowR, dLambdaP, k2Negative));
        length = Math.Max(length, Wnaf(new UInt256(u1.U0, u1.U1, 0, 0), WindowG, dG, negate: false));
        length = Math.Max(length, Wnaf(new UInt256(u1.U2, u1.U3, 0, 0), WindowG, dG128, negate: false));

        ReadOnlySpan<AffinePoint> gTable = s_gTable;
        ReadOnlySpan<AffinePoint> g128Table = s_g128Table;
        JacobianPoint acc = JacobianPoint.Infinity;
        for (int i = length - 1; i >= 0; i--)
        {
            acc = JacobianPoint.Double(acc);
            int d;
            if ((d = dP[i]) != 0) acc = JacobianPoint.AddAffine(acc, tableP[Math.Abs(d) >> 1], d < 0);
            if ((d = dLambdaP[i]) != 0) acc = JacobianPoint.AddAffine(acc, tableLambdaP[Math.Abs(d) >> 1], d < 0);
            if ((d = dG[i]) != 0) acc = JacobianPoint.AddAffineFromBaseCurve(acc, gTable[Math.Abs(d) >> 1], d < 0, z, z2, z3);
            if ((d = dG128[i]) != 0) acc = JacobianPoint.AddAffineFromBaseCurve(acc, g128Table[Math.Abs(d) >> 1], d < 0, z, z2, z3);
        }
        return new JacobianPoint(acc.X, acc.Y, acc.Z * z);
    }
}
