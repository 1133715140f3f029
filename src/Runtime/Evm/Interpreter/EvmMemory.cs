using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Jevm.Numerics;

namespace Jevm.Evm;

/// <summary>
/// EVM memory: a growable byte buffer whose size is always a multiple of 32. A growth clears what it adds where an
/// earlier use of the buffer left bytes behind (the buffer is kept, not cleared, when it is handed back).
/// </summary>
public sealed class EvmMemory
{
    // Largest byte size for which the expansion cost is computed exactly; anything above costs more than 2^53 gas.
    private const ulong MaxTrackedSize = 1UL << 36;
    // Buffers up to this size are always kept when the frame goes back to the pool.
    private const int KeepCapacity = 1 << 20;
    // Larger buffers are kept too while all the large ones kept in the process stay under this bound: a contract that
    // uses megabytes of memory (SnailTracer) would otherwise re-grow (allocate, copy, zero, page-fault) its memory on
    // every execution; beyond the bound they are dropped so that idle pooled frames cannot hold unbounded memory.
    private const long RetainedLargeLimit = 256L << 20;
    private static long s_retainedLarge;

    private byte[] _buffer = [];
    private int _size;
    // Bytes from _size up to _dirty may hold what an earlier use of the buffer left; past it the buffer is zero. A
    // frame's end only moves this mark, and each growth clears the part of it that it adds: one 8 MB memset at the end
    // of snailtracer's frame streamed its memory through the caches a second time (valgrind's simulated misses of a
    // 512 KiB second-level cache halved), where the growth's 32-byte stores go to lines the code writes next.
    private int _dirty;
    // Cost(_size / 32), kept with the size: an expansion then computes one cost, not two (snailtracer grows its memory
    // 215,000 times an execution, a few bytes at a time).
    private long _cost;
    // True when _buffer is larger than KeepCapacity and counted in s_retainedLarge.
    private bool _retained;

    /// <summary>Current size in bytes (MSIZE), a multiple of 32.</summary>
    public int Size
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _size;
    }

    /// <summary>The bytes in use.</summary>
    public Span<byte> Span => _buffer.AsSpan(0, _size);

    /// <summary>The gas cost of memory of <paramref name="words"/> words: 3·w + w²/512 (Yellow Paper C_mem).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Cost(long words) => GasCosts.MemoryWord * words + words * words / GasCosts.MemoryQuadDivisor;

    // Cost for a word count of an array's reach (below 2^26: its square fits in 63 bits): the division as an unsigned shift.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long CostOfTracked(ulong words) => (long)(GasCosts.MemoryWord * words + words * words / (ulong)GasCosts.MemoryQuadDivisor);

    /// <summary>
    /// Charges for and performs the expansion needed to access <paramref name="size"/> bytes at
    /// <paramref name="offset"/>; a zero size never expands. Returns false (out of gas) when the cost exceeds
    /// <paramref name="gas"/>, including offsets and sizes far beyond any affordable memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Expand(ref long gas, in UInt256 offset, in UInt256 size)
    {
        if (size.IsZero) return true;
        if ((offset.U1 | offset.U2 | offset.U3 | size.U1 | size.U2 | size.U3) != 0) return false;
        return Expand(ref gas, offset.U0, size.U0);
    }

    /// <summary>As <see cref="Expand(ref long, in UInt256, in UInt256)"/> for 64-bit offset and size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Expand(ref long gas, ulong offset, ulong size)
    {
        if (size == 0) return true;
        if (offset > MaxTrackedSize || size > MaxTrackedSize) return false;
        ulong end = offset + size;
        if (end <= (ulong)_size) return true;
        return Grow(ref gas, end);
    }

    /// <summary>
    /// The expansion itself, for an access ending at <paramref name="end"/> past <see cref="Size"/> and at most 2^37:
    /// charges the cost to <paramref name="gas"/> and moves the size, or returns false (out of gas). Compiled code calls
    /// it directly once it has checked those bounds inline.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal bool Grow(ref long gas, ulong end)
    {
        ulong newWords = (end + 31) >> 5;
        long newSize = (long)newWords << 5; // no overflow: end is at most 2^37 (offset and size each at most 2^36)
        // Beyond an array's reach: affordable only with absurd gas, so out of gas (checked first, which bounds the square).
        if (newSize > Array.MaxLength) return false;
        long newCost = CostOfTracked(newWords);
        long cost = newCost - _cost;
        if (cost > gas) return false;
        gas -= cost;
        _cost = newCost;
        // A new buffer out of line and in tail position: nothing is live across the call, so the common growth within
        // the buffer saves no registers (snailtracer grows 215,000 times an execution).
        if (newSize > _buffer.Length) return Reallocate((int)newSize);
        int from = _size, to = (int)Math.Min(newSize, _dirty);
        if (from < to)
        {
            // Both multiples of 32, within the buffer (_dirty never passes its length).
            ref byte b = ref MemoryMarshal.GetArrayDataReference(_buffer);
            for (int p = from; p < to; p += 32) Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, p), Vector256<byte>.Zero);
        }
        _size = (int)newSize;
        return true;
    }

    // Grow's new buffer: at least newSize bytes, twice the old one when that is more.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Reallocate(int newSize)
    {
        long capacity = Math.Max(newSize, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        var bigger = GC.AllocateUninitializedArray<byte>((int)capacity);
        _buffer.AsSpan(0, _size).CopyTo(bigger);
        bigger.AsSpan(_size).Clear();
        ReleaseRetained();
        _buffer = bigger;
        _dirty = 0;
        _size = newSize;
        return true;
    }

    /// <summary>A reference to byte <paramref name="offset"/>; the caller has expanded memory to cover the access.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte At(ulong offset) => ref _buffer[(int)offset];

    /// <summary>The <paramref name="length"/> bytes at <paramref name="offset"/> (expanded by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Slice(ulong offset, ulong length) => length == 0 ? default : _buffer.AsSpan((int)offset, (int)length);

    /// <summary>
    /// The <paramref name="length"/> bytes at <paramref name="offset"/> (expanded by the caller) as a memory view, valid
    /// until this memory next grows or is reset.
    /// </summary>
    internal ReadOnlyMemory<byte> AsMemory(ulong offset, ulong length) => length == 0 ? default : _buffer.AsMemory((int)offset, (int)length);

    /// <summary>Empties the memory (the bytes it held are cleared by later growth); a large buffer is kept only while the process-wide bound allows.</summary>
    public void Reset()
    {
        if (_buffer.Length > KeepCapacity && !_retained)
        {
            if (Interlocked.Add(ref s_retainedLarge, _buffer.Length) <= RetainedLargeLimit) _retained = true;
            else
            {
                Interlocked.Add(ref s_retainedLarge, -_buffer.Length);
                _buffer = [];
                _dirty = 0;
                _size = 0;
                _cost = 0;
                return;
            }
        }
        _dirty = Math.Max(_dirty, _size);
        _size = 0;
        _cost = 0;
    }

    private void ReleaseRetained()
    {
        if (!_retained) return;
        Interlocked.Add(ref s_retainedLarge, -_buffer.Length);
        _retained = false;
    }
}
