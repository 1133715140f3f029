using FsCheck.Xunit;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Tests.State;

public class WorldStateJournalTests
{
    private static readonly Address A = Address.FromNumber(0xaaaa);
    private static readonly Address B = Address.FromNumber(0xbbbb);

    private static WorldState Fresh()
    {
        var s = new WorldState();
        s.SetAccount(A, 5, 1000, [0x60, 0x00], [new(1, 11), new(2, 22)]);
        s.BeginTransaction();
        return s;
    }

    [Fact]
    public void Revert_restores_accounts_storage_and_root_exactly()
    {
        var s = Fresh();
        var rootBefore = s.ComputeStateRoot();
        int snap = s.Snapshot();
        s.SetStorage(A, 1, 99);
        s.SetStorage(A, 3, 33);
        s.AddBalance(B, 7);
        s.SetNonce(A, 6);
        s.SetCode(A, [0x00]);
        s.SetTransientStorage(A, 1, 5);
        s.WarmAccount(B);
        s.WarmSlot(A, 9);
        s.AddLog(new LogEntry(A, [1], [1, 2]));
        s.MarkDestructed(A);
        s.CreateContract(Address.FromNumber(0xcccc), 1);
        Assert.NotEqual(rootBefore, s.ComputeStateRoot());
        s.Revert(snap);
        Assert.Equal(rootBefore, s.ComputeStateRoot());
        Assert.Equal(new UInt256(11), s.GetStorage(A, 1));
        Assert.Equal(UInt256.Zero, s.GetStorage(A, 3));
        Assert.False(s.Exists(B));
        Assert.Equal(5UL, s.GetNonce(A));
        Assert.Equal(new byte[] { 0x60, 0x00 }, s.GetCode(A));
        Assert.Equal(UInt256.Zero, s.GetTransientStorage(A, 1));
        Assert.False(s.IsWarm(B));
        Assert.True(s.WarmSlot(A, 9)); // cold again
        Assert.Empty(s.Logs);
        Assert.False(s.IsDestructed(A));
        Assert.False(s.IsCreatedInTransaction(Address.FromNumber(0xcccc)));
        Assert.Equal(0, snap);
    }

    [Fact]
    public void Nested_snapshots_revert_only_their_own_changes()
    {
        var s = Fresh();
        s.SetStorage(A, 1, 100);
        int inner = s.Snapshot();
        s.SetStorage(A, 1, 200);
        s.AddBalance(A, 1);
        s.Revert(inner);
        Assert.Equal(new UInt256(100), s.GetStorage(A, 1));
        Assert.Equal(new UInt256(1000), s.GetBalance(A));
        // The original value is still the one from before the transaction.
        Assert.Equal(new UInt256(11), s.GetOriginalStorage(A, 1));
    }

    [Fact]
    public void End_of_transaction_deletes_destructed_and_empty_touched_accounts()
    {
        var s = Fresh();
        s.AddBalance(B, 0);           // touched, empty
        s.MarkDestructed(A);
        s.EndTransaction(deleteEmptyTouched: true);
        Assert.False(s.Exists(A));
        Assert.False(s.Exists(B));

        var t = Fresh();
        t.AddBalance(B, 0);
        t.EndTransaction(deleteEmptyTouched: false); // before Spurious Dragon the empty account stays
        Assert.True(t.Exists(B));
    }

    [Fact]
    public void Empty_state_root_is_the_empty_trie()
    {
        Assert.Equal("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421", new WorldState().ComputeStateRoot().ToString());
    }

    [Fact]
    public void No_logs_hash_is_keccak_of_empty_list()
    {
        Assert.Equal("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", new WorldState().ComputeLogsHash().ToString());
    }

    [Property(MaxTest = 200)]
    public bool Random_changes_then_revert_restore_the_root(byte[] ops)
    {
        var s = Fresh();
        var before = s.ComputeStateRoot();
        int snap = s.Snapshot();
        foreach (var op in ops ?? [])
        {
            var who = (op & 1) == 0 ? A : B;
            switch (op % 5)
            {
                case 0: s.SetStorage(who, (ulong)(op >> 4), (ulong)op); break;
                case 1: s.AddBalance(who, (ulong)op); break;
                case 2: s.SetNonce(who, op); break;
                case 3: s.CreateContract(who, 1); break;
                case 4: s.SetCode(who, [op]); break;
            }
        }
        s.Revert(snap);
        return s.ComputeStateRoot() == before && s.JournalLength == 0;
    }
}
