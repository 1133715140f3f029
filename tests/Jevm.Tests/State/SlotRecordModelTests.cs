using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Tests.State;

/// <summary>
/// The world state's per-transaction slot records (current value, warmth and original value in one entry, current
/// values dropped when the address's account is created, replaced or removed) against a plain model: storage as a map
/// copied whole at each snapshot, the warm set likewise, original values recorded at a slot's first write in the
/// transaction and not undone by a revert (as EIP-2200's "original value" is the transaction's, not the frame's).
/// Random histories of loads, stores, access-list warming, contract creation over live accounts, self-destructs,
/// snapshots, reverts and transaction boundaries.
/// </summary>
public class SlotRecordModelTests
{
    private static readonly Address[] Addresses = [Address.FromNumber(0xa1), Address.FromNumber(0xb2)];
    // Slots 1 and 2 hold values before the transaction; 512 and 513 share the SLOAD cache's entries with 0 and 1 (the
    // cache is made after an address's 256th load).
    private static readonly ulong[] Keys = [0, 1, 2, 3, 512, 513];

    private sealed class Model
    {
        public Dictionary<(Address, ulong), ulong> Storage = new();
        public HashSet<(Address, ulong)> Warm = new();
        public readonly Dictionary<(Address, ulong), ulong> Original = new();
        public readonly HashSet<Address> Destructed = new();

        public ulong Get(Address a, ulong k) => Storage.GetValueOrDefault((a, k));

        public (Dictionary<(Address, ulong), ulong>, HashSet<(Address, ulong)>, HashSet<Address>) Copy() =>
            (new(Storage), new(Warm), new(Destructed));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    public void Slot_records_answer_as_a_plain_model_of_storage_does(int seed)
    {
        var random = new Random(seed);
        var state = new WorldState();
        var model = new Model();
        foreach (var a in Addresses)
        {
            state.SetAccount(a, 1, 1, [0x00], [new KeyValuePair<UInt256, UInt256>(1, 7), new KeyValuePair<UInt256, UInt256>(2, 9)]);
            model.Storage[(a, 1)] = 7;
            model.Storage[(a, 2)] = 9;
        }
        state.BeginTransaction();
        var snapshots = new Stack<(int, (Dictionary<(Address, ulong), ulong>, HashSet<(Address, ulong)>, HashSet<Address>))>();
        int creations = 0, staleReads = 0;
        for (int step = 0; step < 20_000; step++)
        {
            var address = Addresses[random.Next(Addresses.Length)];
            ulong key = Keys[random.Next(Keys.Length)];
            bool track = random.Next(5) != 0;
            switch (random.Next(16))
            {
                case < 5:
                {
                    var value = state.LoadStorage(address, key, track, out bool cold);
                    Assert.Equal(model.Get(address, key), value.U0);
                    Assert.Equal(track && model.Warm.Add((address, key)), cold);
                    break;
                }
                case < 10:
                {
                    state.ReadSlotForStore(address, key, track, out var current, out var original, out bool cold);
                    Assert.Equal(model.Get(address, key), current.U0);
                    Assert.Equal(model.Original.TryGetValue((address, key), out var o) ? o : model.Get(address, key), original.U0);
                    Assert.Equal(track && model.Warm.Add((address, key)), cold);
                    ulong value = (ulong)random.Next(3);
                    model.Original.TryAdd((address, key), model.Get(address, key));
                    model.Storage[(address, key)] = value;
                    state.SetStorage(address, key, value);
                    break;
                }
                case 10:
                    Assert.Equal(model.Warm.Add((address, key)), state.WarmSlot(address, key));
                    break;
                case 11:
                    // A contract made over the account: its storage is gone; warmth and original values stay.
                    if (model.Storage.Keys.Any(k => k.Item1 == address && model.Storage[k] != 0)) staleReads++;
                    state.CreateContract(address, 1);
                    foreach (var k in model.Storage.Keys.Where(k => k.Item1 == address).ToList()) model.Storage.Remove(k);
                    creations++;
                    break;
                case 12:
                    state.MarkDestructed(address);
                    model.Destructed.Add(address);
                    break;
                case 13:
                    snapshots.Push((state.Snapshot(), model.Copy()));
                    break;
                case 14:
                    if (snapshots.Count > 0)
                    {
                        var (snap, (storage, warm, destructed)) = snapshots.Pop();
                        state.Revert(snap);
                        (model.Storage, model.Warm) = (storage, warm);
                        model.Destructed.Clear();
                        model.Destructed.UnionWith(destructed);
                    }
                    break;
                default:
                    if (random.Next(10) != 0) break;
                    snapshots.Clear();
                    state.EndTransaction(deleteEmptyTouched: false);
                    foreach (var a in model.Destructed)
                        foreach (var k in model.Storage.Keys.Where(k => k.Item1 == a).ToList()) model.Storage.Remove(k);
                    model.Destructed.Clear();
                    model.Warm.Clear();
                    model.Original.Clear();
                    state.BeginTransaction();
                    break;
            }
        }
        foreach (var address in Addresses)
            foreach (var k in Keys)
                Assert.Equal(model.Get(address, k), state.GetStorage(address, k).U0);
        // The histories did what they are for: accounts replaced while their slots held values.
        Assert.True(creations > 100 && staleReads > 50, $"{creations} creations, {staleReads} over live storage");
    }
}
