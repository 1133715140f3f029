namespace Jevm.Crypto.Bls12381;

/// <summary>Multi-scalar multiplication Σ kᵢ·Pᵢ by Pippenger's bucket method, for 256-bit big-endian scalars.</summary>
internal static class Msm
{
    public const int ScalarLength = 32;

    /// <summary>Σ kᵢ·Pᵢ where scalar i is <c>scalars[32i .. 32i+32)</c>, big-endian, not reduced.</summary>
    public static JacobianPoint<TField> Compute<TField>(ReadOnlySpan<AffinePoint<TField>> points, ReadOnlySpan<byte> scalars)
        where TField : struct, IBlsField<TField>
    {
        int n = points.Length;
        if (n == 0) return JacobianPoint<TField>.Infinity;
        if (n == 1) return points[0].ToJacobian().Multiply(scalars[..ScalarLength]);
        int c = WindowBits(n);
        int bucketCount = (1 << c) - 1;
        var buckets = new JacobianPoint<TField>[bucketCount];
        var acc = JacobianPoint<TField>.Infinity;
        int windows = (256 + c - 1) / c;
        for (int w = windows - 1; w >= 0; w--)
        {
            for (int i = 0; i < c; i++) acc = acc.Double();
            buckets.AsSpan().Fill(JacobianPoint<TField>.Infinity);
            bool anyDigit = false;
            for (int i = 0; i < n; i++)
            {
                int digit = Digit(scalars.Slice(i * ScalarLength, ScalarLength), w * c, c);
                if (digit == 0) continue;
                buckets[digit - 1] = buckets[digit - 1].AddAffine(points[i]);
                anyDigit = true;
            }
            if (!anyDigit) continue;
            // Σ j·B_j as a running sum from the top bucket down.
            var running = JacobianPoint<TField>.Infinity;
            var sum = JacobianPoint<TField>.Infinity;
            for (int b = bucketCount - 1; b >= 0; b--)
            {
                if (!buckets[b].IsInfinity) running = running.Add(buckets[b]);
                sum = sum.Add(running);
            }
            acc = acc.Add(sum);
        }
        return acc;
    }

    /// <summary>The window width minimizing additions: ⌈256/c⌉·(n + 2^(c+1)).</summary>
    internal static int WindowBits(int n)
    {
        int best = 1;
        long bestCost = long.MaxValue;
        for (int c = 1; c <= 16; c++)
        {
            long cost = (long)((256 + c - 1) / c) * (n + (2L << c));
            if (cost < bestCost) { bestCost = cost; best = c; }
        }
        return best;
    }

    /// <summary>Bits [offset, offset + count) of a big-endian 256-bit scalar, bit 0 being the least significant.</summary>
    private static int Digit(ReadOnlySpan<byte> scalar, int offset, int count)
    {
        int v = 0;
        for (int j = 0; j < count; j++)
        {
            int bit = offset + j;
            if (bit >= 256) break;
            v |= ((scalar[31 - (bit >> 3)] >> (bit & 7)) & 1) << j;
        }
        return v;
    }
}
