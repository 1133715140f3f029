namespace Jevm.Cli.Fuzzing;

/// <summary>
/// A fragment of a generated program: its bytes, and the offsets of the PUSH2 immediates that hold jump targets
/// relative to the fragment's start (fixed up when the program is laid out). Fragments are self-contained, so any
/// of them can be removed and the rest still assembles: that is what shrinking does.
/// </summary>
/// <param name="Kind">What the piece exercises ("arith", "loop", "call", …), for reports.</param>
/// <param name="Code">The bytes, with relative jump targets.</param>
/// <param name="Labels">Offsets in <paramref name="Code"/> of two-byte big-endian targets relative to the piece.</param>
public sealed record Piece(string Kind, byte[] Code, int[] Labels)
{
    /// <summary>A piece without labels.</summary>
    public Piece(string kind, byte[] code) : this(kind, code, []) { }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}:{Convert.ToHexStringLower(Code)}";
}

/// <summary>A generated program: pieces laid out one after another.</summary>
/// <param name="Pieces">The pieces, in order.</param>
public sealed record FuzzProgram(IReadOnlyList<Piece> Pieces)
{
    /// <summary>The program without pieces (empty code).</summary>
    public static FuzzProgram Empty { get; } = new(Array.Empty<Piece>());

    /// <summary>The bytecode: the pieces concatenated, each label made absolute.</summary>
    public byte[] Render()
    {
        int size = 0;
        foreach (var p in Pieces) size += p.Code.Length;
        var code = new byte[size];
        int at = 0;
        foreach (var p in Pieces)
        {
            p.Code.CopyTo(code, at);
            foreach (int l in p.Labels)
            {
                int target = ((p.Code[l] << 8) | p.Code[l + 1]) + at;
                code[at + l] = (byte)(target >> 8);
                code[at + l + 1] = (byte)target;
            }
            at += p.Code.Length;
        }
        return code;
    }

    /// <summary>Total size in bytes.</summary>
    public int Size
    {
        get
        {
            int n = 0;
            foreach (var p in Pieces) n += p.Code.Length;
            return n;
        }
    }

    /// <summary>A program of these pieces.</summary>
    public static FuzzProgram Of(params Piece[] pieces) => new(pieces);

    /// <summary>Equality by content (records compare lists by reference).</summary>
    public bool SameAs(FuzzProgram other) => Render().AsSpan().SequenceEqual(other.Render());

    /// <inheritdoc/>
    public override string ToString() => string.Join(" ", Pieces);
}
