using System.Runtime.CompilerServices;

namespace Jevm.State;

/// <summary>
/// An append-only stack of structs in fixed-size chunks, for the world state's journal. A <see cref="List{T}"/> copies
/// all it holds into a new array each time it doubles, and a journal grows to tens of thousands of entries (an ERC-20
/// contract's transfers, each a storage write and a log), its arrays soon on the large-object heap. Here appending
/// never moves what is there, chunks stay under the large-object threshold, and chunks are kept for reuse when the
/// stack is truncated.
/// </summary>
internal sealed class ChunkedStack<T> where T : struct
{
    // 256 entries of up to 96 bytes: 24 KiB a chunk, well under the 85,000-byte large-object threshold.
    private const int Shift = 8;
    private const int ChunkSize = 1 << Shift;
    private const int Mask = ChunkSize - 1;

    private T[][] _chunks = []; // the first chunk made on the first push: a state that never journals costs nothing
    private int _count;

    /// <summary>How many entries the stack holds.</summary>
    public int Count => _count;

    /// <summary>Entry <paramref name="index"/> (0 is the oldest); the caller keeps it below <see cref="Count"/>.</summary>
    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _chunks[index >> Shift][index & Mask];
    }

    /// <summary>Appends an entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(in T entry)
    {
        int i = _count;
        int c = i >> Shift;
        if ((uint)c >= (uint)_chunks.Length || _chunks[c] is null) AddChunk(c);
        _chunks[c][i & Mask] = entry;
        _count = i + 1;
    }

    /// <summary>Drops every entry from <paramref name="count"/> on (the chunks stay for reuse).</summary>
    public void Truncate(int count)
    {
        if ((uint)count > (uint)_count) throw new ArgumentOutOfRangeException(nameof(count));
        // Entries may hold references (T is any struct): clear the dropped ones so they keep nothing alive.
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            for (int i = count; i < _count; i++) this[i] = default;
        _count = count;
    }

    /// <summary>Drops every entry.</summary>
    public void Clear() => Truncate(0);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddChunk(int c)
    {
        if (c >= _chunks.Length) Array.Resize(ref _chunks, Math.Max(4, _chunks.Length * 2));
        _chunks[c] = new T[ChunkSize];
    }
}
