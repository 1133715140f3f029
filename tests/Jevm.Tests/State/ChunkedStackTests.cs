using Jevm.State;

namespace Jevm.Tests.State;

public class ChunkedStackTests
{
    [Fact]
    public void Entries_across_many_chunks_keep_their_order_through_truncation_and_reuse()
    {
        var stack = new ChunkedStack<(long, string?)>();
        for (int i = 0; i < 1_000; i++) stack.Push((i, i.ToString()));
        Assert.Equal(1_000, stack.Count);
        for (int i = 0; i < 1_000; i++) Assert.Equal((i, i.ToString()), stack[i]);

        stack.Truncate(300); // inside the second chunk
        Assert.Equal(300, stack.Count);
        for (int i = 300; i < 700; i++) stack.Push((-i, null));
        for (int i = 0; i < 300; i++) Assert.Equal((i, i.ToString()), stack[i]);
        for (int i = 300; i < 700; i++) Assert.Equal((-i, (string?)null), stack[i]);

        stack.Clear();
        Assert.Equal(0, stack.Count);
        stack.Push((42, "x"));
        Assert.Equal((42L, "x"), stack[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => stack.Truncate(2));
    }

    [Fact]
    public void Truncated_entries_holding_references_are_cleared()
    {
        var stack = new ChunkedStack<(int, object?)>();
        for (int i = 0; i < 600; i++) stack.Push((i, new object()));
        stack.Truncate(10);
        // Read past the count through the indexer: the dropped slots hold nothing that a GC would have to keep.
        for (int i = 10; i < 600; i++) Assert.Equal((0, (object?)null), stack[i]);
    }
}
