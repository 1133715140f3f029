using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Tests.State;

/// <summary>
/// SLOAD's and SSTORE's one-call state reads (<see cref="WorldState.LoadStorage"/>,
/// <see cref="WorldState.ReadSlotForStore"/>) against the separate calls they replace (<see cref="WorldState.WarmSlot"/>,
/// <see cref="WorldState.GetStorage"/>, <see cref="WorldState.GetOriginalStorage"/>), over the same random histories of
/// loads, stores, snapshots, reverts and transactions on two states.
/// </summary>
public class FusedStorageAccessTests
{
    private static readonly Address[] Addresses = [Address.FromNumber(0xa1), Address.FromNumber(0xb2)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Fused_reads_answer_as_the_separate_calls_do(int seed)
    {
        var random = new Random(seed);
        WorldState fused = NewState(), separate = NewState();
        var snapshots = new Stack<(int, int)>();
        for (int step = 0; step < 5_000; step++)
        {
            var address = Addresses[random.Next(Addresses.Length)];
            UInt256 key = (ulong)random.Next(8);
            bool track = random.Next(4) != 0;
            switch (random.Next(10))
            {
                case < 4:
                {
                    var value = fused.LoadStorage(address, key, track, out bool cold);
                    bool expectedCold = track && separate.WarmSlot(address, key);
                    Assert.Equal(separate.GetStorage(address, key), value);
                    Assert.Equal(expectedCold, cold);
                    break;
                }
                case < 8:
                {
                    fused.ReadSlotForStore(address, key, track, out var current, out var original, out bool cold);
                    bool expectedCold = track && separate.WarmSlot(address, key);
                    Assert.Equal(separate.GetStorage(address, key), current);
                    Assert.Equal(separate.GetOriginalStorage(address, key), original);
                    Assert.Equal(expectedCold, cold);
                    UInt256 value = (ulong)random.Next(3); // zero often: a slot cleared and set again
                    fused.SetStorage(address, key, value);
                    separate.SetStorage(address, key, value);
                    break;
                }
                case 8:
                    snapshots.Push((fused.Snapshot(), separate.Snapshot()));
                    break;
                default:
                    if (snapshots.Count > 0 && random.Next(2) == 0)
                    {
                        var (a, b) = snapshots.Pop();
                        fused.Revert(a);
                        separate.Revert(b);
                    }
                    else if (random.Next(20) == 0)
                    {
                        snapshots.Clear();
                        fused.EndTransaction(true);
                        separate.EndTransaction(true);
                        fused.BeginTransaction();
                        separate.BeginTransaction();
                    }
                    break;
            }
        }
        foreach (var address in Addresses)
            for (ulong k = 0; k < 8; k++)
            {
                Assert.Equal(separate.GetStorage(address, k), fused.GetStorage(address, k));
                Assert.Equal(separate.GetOriginalStorage(address, k), fused.GetOriginalStorage(address, k));
            }
    }

    private static WorldState NewState()
    {
        var s = new WorldState();
        foreach (var a in Addresses)
            s.SetAccount(a, 1, 1, [0x00], [new KeyValuePair<UInt256, UInt256>(1, 7), new KeyValuePair<UInt256, UInt256>(2, 9)]);
        s.BeginTransaction();
        return s;
    }
}
