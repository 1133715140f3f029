using Jevm.Crypto.Bls12381;
using Jevm.Evm;
using static Jevm.Crypto.Bls12381.Bls12381Encoding;

namespace Jevm.Precompiles.Bls12381;

/// <summary>EIP-2537 gas constants (final version, as shipped in Prague).</summary>
internal static class Bls12381Gas
{
    public const long G1Add = 375;
    public const long G2Add = 600;
    public const long G1Mul = 12_000;
    public const long G2Mul = 22_500;
    public const long PairingPerPair = 32_600;
    public const long PairingBase = 37_700;
    public const long MapFpToG1 = 5_500;
    public const long MapFp2ToG2 = 23_800;
    public const long MsmMultiplier = 1_000;

    /// <summary>EIP-2537 G1MSM discount for k = 1..128 (index k-1); k > 128 uses the last entry (max_discount = 519).</summary>
    public static ReadOnlySpan<short> G1Discount =>
    [
        1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665, 661, 658, 654,
        651, 648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615, 613, 611, 609, 608, 606, 604,
        603, 601, 599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585, 584, 582, 581, 580, 579, 577, 576, 575, 574,
        573, 572, 570, 569, 568, 567, 566, 565, 564, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 551,
        550, 549, 548, 547, 547, 546, 545, 544, 543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535, 534, 533, 532,
        532, 531, 530, 529, 528, 528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520, 520, 519,
    ];

    /// <summary>EIP-2537 G2MSM discount for k = 1..128 (index k-1); k > 128 uses the last entry (max_discount = 524).</summary>
    public static ReadOnlySpan<short> G2Discount =>
    [
        1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704, 699, 693, 688, 683,
        679, 674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632, 629, 627, 624, 622, 620, 618, 615,
        613, 611, 609, 607, 606, 604, 602, 600, 598, 597, 595, 593, 592, 590, 589, 587, 586, 584, 583, 582, 580, 579,
        578, 576, 575, 574, 573, 571, 570, 569, 568, 567, 566, 565, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554,
        553, 552, 552, 551, 550, 549, 548, 547, 546, 545, 545, 544, 543, 542, 541, 541, 540, 539, 538, 537, 537, 536,
        535, 535, 534, 533, 532, 532, 531, 530, 530, 529, 528, 528, 527, 526, 526, 525, 524, 524,
    ];

    /// <summary>k·multiplication_cost·discount(k)/1000, with k = ⌊length/pairLength⌋ (0 for short inputs).</summary>
    public static long Msm(int inputLength, int pairLength, long multiplicationCost, ReadOnlySpan<short> discount)
    {
        long k = inputLength / pairLength;
        if (k == 0) return 0;
        long d = discount[(int)Math.Min(k, discount.Length) - 1];
        return k * multiplicationCost * d / MsmMultiplier;
    }
}

/// <summary>BLS12_G1ADD (0x0b): P + Q in G1, 256-byte input, no subgroup check.</summary>
internal sealed class G1AddPrecompile : IPrecompile
{
    public static readonly G1AddPrecompile Instance = new();

    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.G1Add;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != 2 * PaddedG1Length) return false;
        if (!TryReadG1(input, out var p) || !TryReadG1(input[PaddedG1Length..], out var q)) return false;
        output = new byte[PaddedG1Length];
        WriteG1(p.ToJacobian().AddAffine(q).ToAffine(), output);
        return true;
    }
}

/// <summary>BLS12_G2ADD (0x0d): P + Q in G2, 512-byte input, no subgroup check.</summary>
internal sealed class G2AddPrecompile : IPrecompile
{
    public static readonly G2AddPrecompile Instance = new();

    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.G2Add;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != 2 * PaddedG2Length) return false;
        if (!TryReadG2(input, out var p) || !TryReadG2(input[PaddedG2Length..], out var q)) return false;
        output = new byte[PaddedG2Length];
        WriteG2(p.ToJacobian().AddAffine(q).ToAffine(), output);
        return true;
    }
}

/// <summary>BLS12_G1MSM (0x0c): Σ kᵢ·Pᵢ over k ≥ 1 pairs (point 128 bytes ‖ scalar 32 bytes), points in G1.</summary>
internal sealed class G1MsmPrecompile : IPrecompile
{
    public static readonly G1MsmPrecompile Instance = new();
    private const int PairLength = PaddedG1Length + Msm.ScalarLength;

    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) =>
        Bls12381Gas.Msm(input.Length, PairLength, Bls12381Gas.G1Mul, Bls12381Gas.G1Discount);

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length == 0 || input.Length % PairLength != 0) return false;
        int k = input.Length / PairLength;
        var points = new AffinePoint<Fp>[k];
        var scalars = new byte[k * Msm.ScalarLength];
        for (int i = 0; i < k; i++)
        {
            var pair = input.Slice(i * PairLength, PairLength);
            if (!TryReadG1(pair, out points[i]) || !Curves.IsInG1(points[i])) return false;
            pair.Slice(PaddedG1Length, Msm.ScalarLength).CopyTo(scalars.AsSpan(i * Msm.ScalarLength));
        }
        output = new byte[PaddedG1Length];
        WriteG1(Msm.Compute<Fp>(points, scalars).ToAffine(), output);
        return true;
    }
}

/// <summary>BLS12_G2MSM (0x0e): Σ kᵢ·Qᵢ over k ≥ 1 pairs (point 256 bytes ‖ scalar 32 bytes), points in G2.</summary>
internal sealed class G2MsmPrecompile : IPrecompile
{
    public static readonly G2MsmPrecompile Instance = new();
    private const int PairLength = PaddedG2Length + Msm.ScalarLength;

    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) =>
        Bls12381Gas.Msm(input.Length, PairLength, Bls12381Gas.G2Mul, Bls12381Gas.G2Discount);

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length == 0 || input.Length % PairLength != 0) return false;
        int k = input.Length / PairLength;
        var points = new AffinePoint<Fp2>[k];
        var scalars = new byte[k * Msm.ScalarLength];
        for (int i = 0; i < k; i++)
        {
            var pair = input.Slice(i * PairLength, PairLength);
            if (!TryReadG2(pair, out points[i]) || !Curves.IsInG2(points[i])) return false;
            pair.Slice(PaddedG2Length, Msm.ScalarLength).CopyTo(scalars.AsSpan(i * Msm.ScalarLength));
        }
        output = new byte[PaddedG2Length];
        WriteG2(Msm.Compute<Fp2>(points, scalars).ToAffine(), output);
        return true;
    }
}

/// <summary>BLS12_PAIRING_CHECK (0x0f): 32-byte 1 when Π e(Pᵢ, Qᵢ) = 1 over k ≥ 1 pairs (G1 128 bytes ‖ G2 256 bytes), else 0.</summary>
internal sealed class PairingCheckPrecompile : IPrecompile
{
    public static readonly PairingCheckPrecompile Instance = new();
    private const int PairLength = PaddedG1Length + PaddedG2Length;

    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) =>
        Bls12381Gas.PairingPerPair * (input.Length / PairLength) + Bls12381Gas.PairingBase;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length == 0 || input.Length % PairLength != 0) return false;
        int k = input.Length / PairLength;
        var ps = new AffinePoint<Fp>[k];
        var qs = new AffinePoint<Fp2>[k];
        for (int i = 0; i < k; i++)
        {
            var pair = input.Slice(i * PairLength, PairLength);
            if (!TryReadG1(pair, out ps[i]) || !Curves.IsInG1(ps[i])) return false;
            if (!TryReadG2(pair[PaddedG1Length..], out qs[i]) || !Curves.IsInG2(qs[i])) return false;
        }
        output = new byte[32];
        output[31] = Pairing.Check(ps, qs) ? (byte)1 : (byte)0;
        return true;
    }
}

/// <summary>BLS12_MAP_FP_TO_G1 (0x10): 64-byte field element → 128-byte G1 point.</summary>
internal sealed class MapFpToG1Precompile : IPrecompile
{
    public static readonly MapFpToG1Precompile Instance = new();

    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.MapFpToG1;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != PaddedFpLength || !TryReadPaddedFp(input, out Fp u)) return false;
        output = new byte[PaddedG1Length];
        WriteG1(MapToCurve.MapToG1(u), output);
        return true;
    }
}

/// <summary>BLS12_MAP_FP2_TO_G2 (0x11): 128-byte Fp2 element → 256-byte G2 point.</summary>
internal sealed class MapFp2ToG2Precompile : IPrecompile
{
    public static readonly MapFp2ToG2Precompile Instance = new();

    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.MapFp2ToG2;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != PaddedFp2Length || !TryReadPaddedFp2(input, out Fp2 u)) return false;
        output = new byte[PaddedG2Length];
        WriteG2(MapToCurve.MapToG2(u), output);
        return true;
    }
}
