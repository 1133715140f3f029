using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jevm.Numerics;

namespace Jevm.Evm;

public static partial class Instructions
{
    /// <summary>MLOAD: the 32-byte word at offset (top).</summary>
    public static StatusCode MLoad(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        var m = frame.Memory;
        if (!top.FitsInUInt64 || !m.Expand(ref gas, top.U0, 32)) return StatusCode.OutOfGas;
        top = UInt256.ReadBigEndian(m.Slice(top.U0, 32));
        return StatusCode.Success;
    }

    /// <summary>MSTORE: writes the second item as 32 bytes at offset (top).</summary>
    public static StatusCode MStore(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        var m = frame.Memory;
        if (!top.FitsInUInt64 || !m.Expand(ref gas, top.U0, 32)) return StatusCode.OutOfGas;
        Below(ref top, 1).WriteBigEndian(m.Slice(top.U0, 32));
        return StatusCode.Success;
    }

    /// <summary>MSTORE8: writes the low byte of the second item at offset (top).</summary>
    public static StatusCode MStore8(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        var m = frame.Memory;
        if (!top.FitsInUInt64 || !m.Expand(ref gas, top.U0, 1)) return StatusCode.OutOfGas;
        m.At(top.U0) = (byte)Below(ref top, 1).U0;
        return StatusCode.Success;
    }

    /// <summary>MCOPY (EIP-5656): copies length bytes from src to dst, handling overlap like memmove.</summary>
    public static StatusCode MCopy(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        ref var dst = ref top;
        ref var src = ref Below(ref top, 1);
        ref var len = ref Below(ref top, 2);
        if (len.IsZero) return StatusCode.Success;
        if (!ChargeWords(ref gas, len, GasCosts.CopyWord)) return StatusCode.OutOfGas;
        var m = frame.Memory;
        if (!m.Expand(ref gas, dst, len) || !m.Expand(ref gas, src, len)) return StatusCode.OutOfGas;
        m.Slice(src.U0, len.U0).CopyTo(m.Slice(dst.U0, len.U0));
        return StatusCode.Success;
    }

    /// <summary>MSIZE.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MSize(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = new UInt256((ulong)frame.Memory.Size);

    /// <summary>KECCAK256 of the memory range (offset = top, size = second), 6 gas per word.</summary>
    public static StatusCode Keccak256(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        ref var size = ref Below(ref top, 1);
        if (!ChargeWords(ref gas, size, GasCosts.Keccak256Word)) return StatusCode.OutOfGas;
        var m = frame.Memory;
        if (!m.Expand(ref gas, top, size)) return StatusCode.OutOfGas;
        // One or two words (mapping and array slots) go through the memo: they repeat.
        if (size.U0 is 32 or 64 && size.FitsInUInt64) Crypto.KeccakWordMemo.HashToWord(m.Slice(top.U0, size.U0), out size);
        else Crypto.KeccakSponge.HashToWord(size.IsZero ? default : m.Slice(top.U0, size.U0), out size);
        return StatusCode.Success;
    }

    /// <summary>CALLDATALOAD: 32 bytes of call data at offset (top), zero-padded.</summary>
    public static void CallDataLoad(ExecutionFrame frame, ref UInt256 top)
    {
        var input = frame.Message.Input.Span;
        if (!top.FitsInUInt64 || top.U0 >= (ulong)input.Length) { top = default; return; }
        int offset = (int)top.U0;
        top = input.Length - offset >= 32
            ? UInt256.ReadBigEndian(input.Slice(offset, 32))
            : ReadLeftAligned(input[offset..]);
    }

    // Bytes placed at the most significant end of a word, the rest zero (a load past the end of the data).
    private static UInt256 ReadLeftAligned(ReadOnlySpan<byte> bytes)
    {
        Span<byte> buf = stackalloc byte[32];
        buf.Clear();
        bytes.CopyTo(buf);
        return UInt256.ReadBigEndian(buf);
    }

    /// <summary>CALLDATACOPY: memory[dst..] = calldata[src..], zero-padded.</summary>
    public static StatusCode CallDataCopy(ExecutionFrame frame, ref UInt256 top, ref long gas)
        => CopyToMemory(frame, ref top, ref gas, frame.Message.Input.Span);

    /// <summary>CODECOPY: memory[dst..] = code[src..], zero-padded.</summary>
    public static StatusCode CodeCopy(ExecutionFrame frame, ref UInt256 top, ref long gas)
        => CopyToMemory(frame, ref top, ref gas, frame.Code.Span);

    /// <summary>RETURNDATACOPY (EIP-211): like CALLDATACOPY, but reading past the return data is an exceptional halt.</summary>
    public static StatusCode ReturnDataCopy(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        ref var src = ref Below(ref top, 1);
        ref var len = ref Below(ref top, 2);
        if (!ChargeWords(ref gas, len, GasCosts.CopyWord)) return StatusCode.OutOfGas;
        var m = frame.Memory;
        if (!m.Expand(ref gas, top, len)) return StatusCode.OutOfGas;
        ulong available = (ulong)frame.ReturnData.Length;
        if (!src.FitsInUInt64 || src.U0 > available || len.U0 > available - src.U0) return StatusCode.InvalidMemoryAccess;
        if (!len.IsZero) frame.ReturnData.AsSpan((int)src.U0, (int)len.U0).CopyTo(m.Slice(top.U0, len.U0));
        return StatusCode.Success;
    }

    /// <summary>EXTCODECOPY: memory[dst..] = code of an account[src..], with the EIP-2929 cold surcharge.</summary>
    public static StatusCode ExtCodeCopy(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        var address = Primitives.Address.FromWord(top);
        if (!ChargeAccountAccess(frame, address, ref gas)) return StatusCode.OutOfGas;
        ref var dst = ref Below(ref top, 1);
        ref var len = ref Below(ref top, 3);
        if (!ChargeWords(ref gas, len, GasCosts.CopyWord)) return StatusCode.OutOfGas;
        var m = frame.Memory;
        if (!m.Expand(ref gas, dst, len)) return StatusCode.OutOfGas;
        if (len.IsZero) return StatusCode.Success;
        CopyPadded(m.Slice(dst.U0, len.U0), frame.Host.GetCode(address).Span, Below(ref top, 2));
        return StatusCode.Success;
    }

    // Shared core of CALLDATACOPY and CODECOPY: dst = top, src = second, length = third.
    private static StatusCode CopyToMemory(ExecutionFrame frame, ref UInt256 top, ref long gas, ReadOnlySpan<byte> source)
    {
        ref var len = ref Below(ref top, 2);
        if (!ChargeWords(ref gas, len, GasCosts.CopyWord)) return StatusCode.OutOfGas;
        var m = frame.Memory;
        if (!m.Expand(ref gas, top, len)) return StatusCode.OutOfGas;
        if (len.IsZero) return StatusCode.Success;
        CopyPadded(m.Slice(top.U0, len.U0), source, Below(ref top, 1));
        return StatusCode.Success;
    }

    /// <summary>RETURN and REVERT: sets the frame's output to memory[offset (top) .. +size].</summary>
    public static StatusCode SetOutput(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        ref var size = ref Below(ref top, 1);
        var m = frame.Memory;
        if (!m.Expand(ref gas, top, size)) return StatusCode.OutOfGas;
        frame.Output = size.IsZero ? [] : m.Slice(top.U0, size.U0).ToArray();
        return StatusCode.Success;
    }

    /// <summary>
    /// PUSH1–PUSH32: reads the <paramref name="n"/>-byte big-endian immediate at <paramref name="immediate"/>. The code
    /// must be readable for 32 bytes past the immediate's start (engines pad it with zeros, which also gives a
    /// truncated PUSH at the end of the code its zero-padded value).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 ReadImmediate(ref byte immediate, int n)
    {
        // Right-align the n bytes: limb k takes the bytes ending 8k bytes before the end.
        ulong u0 = ReadLimb(ref immediate, n);
        if (n <= 8) return new UInt256(u0);
        ulong u1 = ReadLimb(ref immediate, n - 8);
        if (n <= 16) return new UInt256(u0, u1, 0, 0);
        ulong u2 = ReadLimb(ref immediate, n - 16);
        ulong u3 = ReadLimb(ref immediate, n - 24);
        return new UInt256(u0, u1, u2, u3);
    }

    // The up-to-8 bytes ending at immediate[end − 1], big-endian.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadLimb(ref byte immediate, int end)
    {
        if (end >= 8)
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref immediate, end - 8), 8));
        if (end <= 0) return 0;
        ulong v = 0;
        for (int i = 0; i < end; i++) v = (v << 8) | Unsafe.Add(ref immediate, i);
        return v;
    }
}
