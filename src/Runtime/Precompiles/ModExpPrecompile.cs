using System.Numerics;
using Jevm.Evm;
using Jevm.Numerics;

namespace Jevm.Precompiles;

/// <summary>
/// Precompile 0x05 (EIP-198, Byzantium): <c>base^exp mod modulus</c> on big-endian integers of declared lengths.
/// Input: three 32-byte lengths, then base, exponent, modulus; missing bytes read as zero. Output: modulus-length bytes.
/// Pricing: EIP-198 before Berlin, EIP-2565 from Berlin, EIP-7883 from Osaka; Osaka also bounds each length to 1024
/// bytes (EIP-7823), a larger one being a failure.
/// </summary>
public sealed class ModExpPrecompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly ModExpPrecompile Instance = new();

    /// <summary>EIP-7823's bound on each length from Osaka.</summary>
    public const ulong OsakaMaxLength = 1024;

    // Lengths are clamped here for gas arithmetic: anything this large already prices beyond any gas limit
    // (complexity ≥ 2^76 or iteration count ≥ 2^43), and the clamp keeps every product inside UInt128.
    private const ulong LengthClamp = 1UL << 40;

    // TryRun refuses lengths beyond this (no gas limit can pay for them; this only guards allocation).
    private const ulong RunLengthLimit = 1UL << 26;

    private static ulong ReadLength(ReadOnlySpan<byte> input, ulong offset)
    {
        var w = PrecompileInput.ReadWord(input, offset);
        return w.FitsInUInt64 ? w.U0 : ulong.MaxValue;
    }

    private static void ReadLengths(ReadOnlySpan<byte> input, out ulong baseLen, out ulong expLen, out ulong modLen)
    {
        baseLen = ReadLength(input, 0);
        expLen = ReadLength(input, 32);
        modLen = ReadLength(input, 64);
    }

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork)
    {
        ReadLengths(input, out ulong baseLen, out ulong expLen, out ulong modLen);
        baseLen = Math.Min(baseLen, LengthClamp);
        expLen = Math.Min(expLen, LengthClamp);
        modLen = Math.Min(modLen, LengthClamp);

        // The first (up to) 32 bytes of the exponent, which start right after the base.
        Span<byte> head = stackalloc byte[32];
        int headLen = (int)Math.Min(expLen, 32);
        PrecompileInput.CopyPadded(input, 96 + baseLen, head.Slice(32 - headLen));
        head.Slice(0, 32 - headLen).Clear();
        var expHead = UInt256.ReadBigEndian(head);
        ulong headBits = (ulong)(256 - UInt256.LeadingZeroCount(expHead)); // bit_length
        ulong headLog = headBits == 0 ? 0 : headBits - 1;

        ulong maxLen = Math.Max(baseLen, modLen);
        UInt128 gas;
        if (fork >= Fork.Osaka)
        {
            // EIP-7883
            ulong words = (maxLen + 7) / 8;
            UInt128 complexity = maxLen <= 32 ? 16 : 2 * (UInt128)words * words;
            ulong iterations = expLen <= 32 ? headLog : 16 * (expLen - 32) + headLog;
            gas = complexity * Math.Max(iterations, 1);
            if (gas < 500) gas = 500;
        }
        else if (fork >= Fork.Berlin)
        {
            // EIP-2565
            ulong words = (maxLen + 7) / 8;
            UInt128 complexity = (UInt128)words * words;
            ulong iterations = expLen <= 32 ? headLog : 8 * (expLen - 32) + headLog;
            gas = complexity * Math.Max(iterations, 1) / 3;
            if (gas < 200) gas = 200;
        }
        else
        {
            // EIP-198
            ulong adjustedExpLen = expLen <= 32 ? headLog : 8 * (expLen - 32) + headLog;
            gas = Eip198Complexity(maxLen) * Math.Max(adjustedExpLen, 1) / 20;
        }
        return gas > long.MaxValue ? long.MaxValue : (long)gas;
    }

    private static UInt128 Eip198Complexity(ulong x)
    {
        UInt128 sq = (UInt128)x * x;
        if (x <= 64) return sq;
        if (x <= 1024) return sq / 4 + 96 * (UInt128)x - 3072;
        return sq / 16 + 480 * (UInt128)x - 199680;
    }

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        ReadLengths(input, out ulong baseLen, out ulong expLen, out ulong modLen);
        output = [];
        if (fork >= Fork.Osaka && (baseLen > OsakaMaxLength || expLen > OsakaMaxLength || modLen > OsakaMaxLength))
            return false;
        if (modLen == 0) return true; // the result has no bytes; base and exponent are never read
        if (baseLen > RunLengthLimit || expLen > RunLengthLimit || modLen > RunLengthLimit) return false;

        var modBytes = new byte[modLen];
        PrecompileInput.CopyPadded(input, 96 + baseLen + expLen, modBytes);
        var modulus = new BigInteger(modBytes, isUnsigned: true, isBigEndian: true);
        output = new byte[modLen];
        if (modulus <= BigInteger.One) return true; // x mod 1 = 0; modulus 0 is defined as a zero result

        var baseBytes = new byte[baseLen];
        PrecompileInput.CopyPadded(input, 96, baseBytes);
        var expBytes = new byte[expLen];
        PrecompileInput.CopyPadded(input, 96 + baseLen, expBytes);
        var result = BigInteger.ModPow(
            new BigInteger(baseBytes, isUnsigned: true, isBigEndian: true),
            new BigInteger(expBytes, isUnsigned: true, isBigEndian: true),
            modulus);
        int size = result.GetByteCount(isUnsigned: true);
        result.TryWriteBytes(output.AsSpan((int)modLen - size), out _, isUnsigned: true, isBigEndian: true);
        return true;
    }
}
