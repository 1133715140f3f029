namespace Jevm.Crypto.Bls12381;

/// <summary>
/// Byte encodings of BLS12-381 elements: the EIP-2537 padded form (64 bytes per Fp, the top 16 zero; infinity as all
/// zeros) and the ZCash compressed form used by EIP-4844 (48-byte G1, 96-byte G2, three flag bits on top).
/// </summary>
internal static class Bls12381Encoding
{
    public const int PaddedFpLength = 64;
    public const int PaddedFp2Length = 128;
    public const int PaddedG1Length = 128;
    public const int PaddedG2Length = 256;

    /// <summary>Reads a 64-byte padded field element; false when the padding is not zero or the value is not below p.</summary>
    public static bool TryReadPaddedFp(ReadOnlySpan<byte> input, out Fp value)
    {
        // The 16 padding bytes must be zero (EIP-2537: "must be checked").
        if (input[..16].ContainsAnyExcept((byte)0))
        {
            value = default;
            return false;
        }
        return Fp.TryRead(input.Slice(16, 48), out value);
    }

    /// <summary>Reads a 128-byte padded Fp2 element c0 ‖ c1.</summary>
    public static bool TryReadPaddedFp2(ReadOnlySpan<byte> input, out Fp2 value)
    {
        if (TryReadPaddedFp(input, out Fp c0) && TryReadPaddedFp(input[64..], out Fp c1))
        {
            value = new Fp2(c0, c1);
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Reads a 128-byte G1 point: coordinates valid, and on the curve or all-zero (infinity). No subgroup check.</summary>
    public static bool TryReadG1(ReadOnlySpan<byte> input, out AffinePoint<Fp> point)
    {
        point = AffinePoint<Fp>.Infinity;
        if (!TryReadPaddedFp(input, out Fp x) || !TryReadPaddedFp(input[64..], out Fp y)) return false;
        if (x.IsZero && y.IsZero) return true;
        point = new AffinePoint<Fp>(x, y);
        return point.IsOnCurve();
    }

    /// <summary>Reads a 256-byte G2 point: coordinates valid, and on the curve or all-zero (infinity). No subgroup check.</summary>
    public static bool TryReadG2(ReadOnlySpan<byte> input, out AffinePoint<Fp2> point)
    {
        point = AffinePoint<Fp2>.Infinity;
        if (!TryReadPaddedFp2(input, out Fp2 x) || !TryReadPaddedFp2(input[128..], out Fp2 y)) return false;
        if (x.IsZero && y.IsZero) return true;
        point = new AffinePoint<Fp2>(x, y);
        return point.IsOnCurve();
    }

    public static void WritePaddedFp(in Fp value, Span<byte> output)
    {
        output[..16].Clear();
        value.Write(output.Slice(16, 48));
    }

    /// <summary>Writes a G1 point as 128 bytes (all zeros for infinity).</summary>
    public static void WriteG1(in AffinePoint<Fp> p, Span<byte> output)
    {
        if (p.IsInfinity) { output[..PaddedG1Length].Clear(); return; }
        WritePaddedFp(p.X, output);
        WritePaddedFp(p.Y, output[64..]);
    }

    /// <summary>Writes a G2 point as 256 bytes (all zeros for infinity).</summary>
    public static void WriteG2(in AffinePoint<Fp2> p, Span<byte> output)
    {
        if (p.IsInfinity) { output[..PaddedG2Length].Clear(); return; }
        WritePaddedFp(p.X.C0, output);
        WritePaddedFp(p.X.C1, output[64..]);
        WritePaddedFp(p.Y.C0, output[128..]);
        WritePaddedFp(p.Y.C1, output[192..]);
    }

    private const byte CompressedFlag = 0x80, InfinityFlag = 0x40, SignFlag = 0x20;

    /// <summary>
    /// Decodes a 48-byte compressed G1 point (ZCash format) and checks it lies in G1. The point at infinity is accepted
    /// only in its canonical form 0xc0 ‖ 0…0.
    /// </summary>
    public static bool TryReadCompressedG1(ReadOnlySpan<byte> input, out AffinePoint<Fp> point)
    {
        point = AffinePoint<Fp>.Infinity;
        if (input.Length != 48) return false;
        byte flags = input[0];
        if ((flags & CompressedFlag) == 0) return false;
        if ((flags & InfinityFlag) != 0)
            return (flags & 0x3f) == 0 && !input[1..].ContainsAnyExcept((byte)0);
        Span<byte> xb = stackalloc byte[48];
        input.CopyTo(xb);
        xb[0] &= 0x1f;
        if (!Fp.TryRead(xb, out Fp x)) return false;
        if (!(x * x * x + Fp.CurveB).TrySqrt(out Fp y)) return false;
        if (y.IsLexicographicallyLargest != ((flags & SignFlag) != 0)) y = -y;
        point = new AffinePoint<Fp>(x, y);
        return Curves.IsInG1(point);
    }

    /// <summary>Decodes a 96-byte compressed G2 point (x.c1 ‖ x.c0 with the flags on top) and checks it lies in G2.</summary>
    public static bool TryReadCompressedG2(ReadOnlySpan<byte> input, out AffinePoint<Fp2> point)
    {
        point = AffinePoint<Fp2>.Infinity;
        if (input.Length != 96) return false;
        byte flags = input[0];
        if ((flags & CompressedFlag) == 0) return false;
        if ((flags & InfinityFlag) != 0)
            return (flags & 0x3f) == 0 && !input[1..].ContainsAnyExcept((byte)0);
        Span<byte> xb = stackalloc byte[96];
        input.CopyTo(xb);
        xb[0] &= 0x1f;
        if (!Fp.TryRead(xb[..48], out Fp c1) || !Fp.TryRead(xb[48..], out Fp c0)) return false;
        var x = new Fp2(c0, c1);
        if (!(x * x * x + Fp2.CurveB).TrySqrt(out Fp2 y)) return false;
        if (y.IsLexicographicallyLargest != ((flags & SignFlag) != 0)) y = -y;
        point = new AffinePoint<Fp2>(x, y);
        return Curves.IsInG2(point);
    }
}
