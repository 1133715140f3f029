using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Trie;

namespace Jevm.State;

/// <summary>
/// The in-memory world state with the per-transaction substate (original storage values, transient storage, warm
/// sets, logs, self-destructs, accounts created in the transaction, touched accounts). Every change is journaled:
/// <see cref="Snapshot"/> returns the journal position and <see cref="Revert"/> undoes exactly the changes made after it.
/// </summary>
public sealed class WorldState
{
    private readonly Dictionary<Address, Account> _accounts = new();
    private readonly ChunkedStack<JournalEntry> _journal = new();
    // The old code or replaced account of Code and AccountReplaced entries, in journal order (kept out of the entries
    // so that they hold no references: appending one is then a plain copy, without the GC's write barrier).
    private readonly List<object> _journalObjects = new();

    // The account looked up last: a contract reads and writes its own storage over and over, so this saves most
    // account lookups. Cleared whenever an entry of _accounts is added, replaced or removed.
    private Address _lastAddress;
    private Account? _lastAccount;

    // Per-transaction substate.
    private readonly Dictionary<SlotKey, UInt256> _transient = new();
    private readonly HashSet<Address> _warmAccounts = new();
    // Warm slots and original slot values, per address (kept apart from Account: they outlive an account replaced in
    // the transaction), with the last address's entry cached like the account.
    private readonly Dictionary<Address, SlotSubstate> _slots = new();
    private Address _lastSlotsAddress;
    private SlotSubstate? _lastSlots;
    private readonly List<LogEntry> _logs = new();
    private readonly HashSet<Address> _destructed = new();
    private readonly HashSet<Address> _created = new();
    private readonly HashSet<Address> _touched = new();

    /// <summary>The accounts, for inspection.</summary>
    public IReadOnlyDictionary<Address, Account> Accounts => _accounts;

    /// <summary>The logs of the current transaction.</summary>
    public IReadOnlyList<LogEntry> Logs => _logs;

    /// <summary>Number of journal entries (for tests and diagnostics).</summary>
    public int JournalLength => _journal.Count;

    /// <summary>Adds or replaces an account without journaling (for loading a pre-state).</summary>
    public void SetAccount(in Address address, ulong nonce, in UInt256 balance, byte[] code, IEnumerable<KeyValuePair<UInt256, UInt256>>? storage = null)
    {
        var a = new Account { Nonce = nonce, Balance = balance };
        a.SetCode(code);
        if (storage is not null)
            foreach (var kv in storage)
                if (!kv.Value.IsZero) a.Storage[kv.Key] = kv.Value;
        _accounts[address] = a;
        AccountChanged(address);
    }

    /// <summary>A deep copy of the accounts (the substate and journal are not copied).</summary>
    public WorldState Clone()
    {
        var copy = new WorldState();
        foreach (var kv in _accounts) copy._accounts[kv.Key] = kv.Value.Clone();
        return copy;
    }

    // ---- journal ----

    /// <summary>The current journal position, to pass to <see cref="Revert"/>.</summary>
    public int Snapshot() => _journal.Count;

    /// <summary>Undoes every change made after <paramref name="snapshot"/>, newest first.</summary>
    public void Revert(int snapshot)
    {
        for (int i = _journal.Count - 1; i >= snapshot; i--)
        {
            ref readonly var e = ref _journal[i];
            switch (e.Kind)
            {
                case JournalKind.AccountCreated: _accounts.Remove(e.Address); AccountChanged(e.Address); break;
                case JournalKind.AccountReplaced: _accounts[e.Address] = (Account)PopJournalObject(); AccountChanged(e.Address); break;
                case JournalKind.Balance: _accounts[e.Address].Balance = e.Value; break;
                case JournalKind.Nonce: _accounts[e.Address].Nonce = e.Value.U0; break;
                case JournalKind.Code: _accounts[e.Address].SetCode((byte[])PopJournalObject(), new Hash256(e.Value)); break;
                case JournalKind.Storage:
                    _accounts[e.Address].Storage[e.Key] = e.Value;
                    SlotsOf(e.Address).WriteUndone(e.Key, e.Value);
                    break;
                case JournalKind.Transient: _transient[new SlotKey(e.Address, e.Key)] = e.Value; break;
                case JournalKind.WarmAccount: _warmAccounts.Remove(e.Address); break;
                case JournalKind.WarmSlot: SlotsOf(e.Address).WarmingUndone(e.Key); break;
                case JournalKind.Log: _logs.RemoveAt(_logs.Count - 1); break;
                case JournalKind.Destructed: _destructed.Remove(e.Address); break;
                case JournalKind.Created: _created.Remove(e.Address); break;
                case JournalKind.Touched: _touched.Remove(e.Address); break;
            }
        }
        _journal.Truncate(snapshot);
    }

    private object PopJournalObject()
    {
        var o = _journalObjects[^1];
        _journalObjects.RemoveAt(_journalObjects.Count - 1);
        return o;
    }

    private void ClearJournal()
    {
        _journal.Clear();
        _journalObjects.Clear();
    }

    /// <summary>Starts a transaction: clears the substate and the journal.</summary>
    public void BeginTransaction()
    {
        ClearJournal();
        _transient.Clear();
        _warmAccounts.Clear();
        // Emptied rather than dropped (no allocation per transaction), unless many addresses piled up.
        if (_slots.Count > 64) _slots.Clear();
        else foreach (var slots in _slots.Values) slots.Clear();
        _lastSlots = null;
        _logs.Clear();
        _destructed.Clear();
        _created.Clear();
        _touched.Clear();
    }

    /// <summary>
    /// Ends a transaction: deletes self-destructed accounts and, when <paramref name="deleteEmptyTouched"/> (EIP-161,
    /// Spurious Dragon on), touched accounts that are empty; clears the journal. Logs stay readable until the next
    /// <see cref="BeginTransaction"/>.
    /// </summary>
    public void EndTransaction(bool deleteEmptyTouched)
    {
        foreach (var a in _destructed)
            if (_accounts.Remove(a)) AccountChanged(a);
        if (deleteEmptyTouched)
            foreach (var a in _touched)
                if (_accounts.TryGetValue(a, out var acc) && acc.IsEmpty && _accounts.Remove(a)) AccountChanged(a);
        _lastAccount = null;
        ClearJournal();
    }

    // ---- accounts ----

    /// <summary>Looks an account up, through the one-entry cache.</summary>
    private bool TryGetAccount(in Address address, [NotNullWhen(true)] out Account? account)
    {
        if (_lastAccount is not null && _lastAddress == address)
        {
            account = _lastAccount;
            return true;
        }
        if (!_accounts.TryGetValue(address, out account)) return false;
        _lastAddress = address;
        _lastAccount = account;
        return true;
    }

    // The account object of an address was added, replaced or removed: the account cache is dropped, and the address's
    // slot records (whose current values mirror the old account's storage) are marked stale.
    private void AccountChanged(in Address address)
    {
        _lastAccount = null;
        if (_slots.TryGetValue(address, out var slots)) slots.NewEpoch();
    }

    /// <summary>The slot substate of an address (made on first use), through the one-entry cache.</summary>
    private SlotSubstate SlotsOf(in Address address)
    {
        if (_lastSlots is not null && _lastSlotsAddress == address) return _lastSlots;
        if (!_slots.TryGetValue(address, out var slots))
        {
            slots = new SlotSubstate();
            _slots[address] = slots;
        }
        _lastSlotsAddress = address;
        _lastSlots = slots;
        return slots;
    }

    /// <summary>The account, or null when it does not exist.</summary>
    public Account? Get(in Address address) => _accounts.GetValueOrDefault(address);

    /// <summary>True when the account is in the state (empty or not).</summary>
    public bool Exists(in Address address) => _accounts.ContainsKey(address);

    private Account GetOrCreate(in Address address)
    {
        if (TryGetAccount(address, out var a)) return a;
        a = new Account();
        _accounts[address] = a;
        AccountChanged(address);
        _journal.Push(new JournalEntry(JournalKind.AccountCreated, address));
        return a;
    }

    /// <summary>Creates an empty account when missing (CALL's account creation before EIP-161).</summary>
    public void CreateIfMissing(in Address address) => GetOrCreate(address);

    /// <summary>
    /// Makes <paramref name="address"/> a fresh contract account for CREATE: storage and code cleared, the balance
    /// kept, the nonce set to <paramref name="nonce"/>. Marks it created in this transaction (EIP-6780).
    /// </summary>
    public void CreateContract(in Address address, ulong nonce)
    {
        var fresh = new Account { Nonce = nonce };
        if (_accounts.TryGetValue(address, out var old))
        {
            fresh.Balance = old.Balance;
            _journalObjects.Add(old);
            _journal.Push(new JournalEntry(JournalKind.AccountReplaced, address));
        }
        else
        {
            _journal.Push(new JournalEntry(JournalKind.AccountCreated, address));
        }
        _accounts[address] = fresh;
        AccountChanged(address);
        if (_created.Add(address)) _journal.Push(new JournalEntry(JournalKind.Created, address));
    }

    /// <summary>True when the account was created by CREATE/CREATE2 or a creating transaction in this transaction.</summary>
    public bool IsCreatedInTransaction(in Address address) => _created.Contains(address);

    /// <summary>The balance (zero when missing).</summary>
    public UInt256 GetBalance(in Address address) => TryGetAccount(address, out var a) ? a.Balance : UInt256.Zero;

    /// <summary>Sets the balance, creating the account when missing.</summary>
    public void SetBalance(in Address address, in UInt256 value)
    {
        var a = GetOrCreate(address);
        _journal.Push(new JournalEntry(JournalKind.Balance, address) { Value = a.Balance });
        a.Balance = value;
    }

    /// <summary>Adds to the balance (creating and touching the account, as a transfer of zero also does).</summary>
    public void AddBalance(in Address address, in UInt256 value)
    {
        Touch(address);
        var current = GetBalance(address);
        UInt256.Add(current, value, out var sum);
        SetBalance(address, sum);
    }

    /// <summary>Subtracts from the balance; the caller has checked that it suffices.</summary>
    public void SubtractBalance(in Address address, in UInt256 value)
    {
        Touch(address);
        var current = GetBalance(address);
        UInt256.Subtract(current, value, out var diff);
        SetBalance(address, diff);
    }

    /// <summary>The nonce (zero when missing).</summary>
    public ulong GetNonce(in Address address) => TryGetAccount(address, out var a) ? a.Nonce : 0;

    /// <summary>Sets the nonce, creating the account when missing.</summary>
    public void SetNonce(in Address address, ulong nonce)
    {
        var a = GetOrCreate(address);
        _journal.Push(new JournalEntry(JournalKind.Nonce, address) { Value = a.Nonce });
        a.Nonce = nonce;
    }

    /// <summary>The code (empty when missing).</summary>
    public byte[] GetCode(in Address address) => TryGetAccount(address, out var a) ? a.Code : [];

    /// <summary>Sets the code.</summary>
    public void SetCode(in Address address, byte[] code)
    {
        var a = GetOrCreate(address);
        _journalObjects.Add(a.Code);
        _journal.Push(new JournalEntry(JournalKind.Code, address) { Value = a.CodeHash.Word });
        a.SetCode(code);
    }

    // ---- storage ----

    /// <summary>The current value of a slot.</summary>
    public UInt256 GetStorage(in Address address, in UInt256 key) =>
        TryGetAccount(address, out var a) && a.Storage.TryGetValue(key, out var v) ? v : UInt256.Zero;

    /// <summary>The value of a slot at the start of the transaction.</summary>
    public UInt256 GetOriginalStorage(in Address address, in UInt256 key)
    {
        var slots = SlotsOf(address);
        ref var r = ref Record(slots, address, key);
        return r.HasOriginal ? r.Original : r.Current;
    }

    /// <summary>Writes a slot (remembering the original value on the first write in the transaction).</summary>
    public void SetStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        var a = GetOrCreate(address);
        var slots = SlotsOf(address);
        ref var r = ref Record(slots, address, key);
        if (!r.HasOriginal)
        {
            r.Original = r.Current;
            r.HasOriginal = true;
        }
        _journal.Push(new JournalEntry(JournalKind.Storage, address) { Key = key, Value = r.Current });
        r.Current = value;
        slots.Written(key, value);
        // One lookup: the slot's entry is written in place (a zero value may stay in the map).
        CollectionsMarshal.GetValueRefOrAddDefault(a.Storage, key, out _) = value;
    }

    /// <summary>
    /// SLOAD's state work in one call: the slot's current value and, when <paramref name="trackAccess"/> (EIP-2929,
    /// Berlin on), the slot marked warm, <paramref name="wasCold"/> saying whether it was cold.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt256 LoadStorage(in Address address, in UInt256 key, bool trackAccess, out bool wasCold)
    {
        if (trackAccess)
        {
            ref readonly var hit = ref CachedWarmSlot(address, key);
            if (!Unsafe.IsNullRef(in hit))
            {
                wasCold = false;
                return hit;
            }
        }
        return LoadStorageMiss(address, key, trackAccess, out wasCold);
    }

    /// <summary>
    /// SLOAD's hit, small enough to inline into its caller without a frame of its own: the current value of a warm
    /// slot of the last address in that address's slot cache, or a null reference (a new address, a miss, no cache
    /// yet). Berlin on only: before it, slots have no warmth and the cache is not consulted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref readonly UInt256 CachedWarmSlot(in Address address, in UInt256 key)
    {
        var slots = _lastSlots;
        if (slots is not null && slots.Cache is { } cache && _lastSlotsAddress == address)
        {
            ref var entry = ref SlotSubstate.Entry(cache, slots.CacheOffset, SlotSubstate.CacheIndex(key));
            if (entry.Key == key) return ref entry.Value;
        }
        return ref Unsafe.NullRef<UInt256>();
    }

    /// <summary>Everything of <see cref="LoadStorage"/> but the cache hit (out of line: see <see cref="CachedWarmSlot"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal UInt256 LoadStorageMiss(in Address address, in UInt256 key, bool trackAccess, out bool wasCold)
    {
        if (!trackAccess)
        {
            wasCold = false;
            return GetStorage(address, key);
        }
        var slots = SlotsOf(address);
        var cache = slots.Cache;
        int index = SlotSubstate.CacheIndex(key);
        if (cache is not null)
        {
            // Another address than the last one may hit in its own cache.
            ref var hit = ref SlotSubstate.Entry(cache, slots.CacheOffset, index);
            if (hit.Key == key)
            {
                wasCold = false;
                return hit.Value;
            }
        }
        ref var r = ref Record(slots, address, key);
        wasCold = MarkWarm(ref r, address, key);
        if (cache is not null) slots.Fill(index, key, r.Current);
        else slots.CountLoad();
        return r.Current;
    }

    /// <summary>
    /// What SSTORE's gas depends on, in one call: the slot's current value, its value at the start of the transaction
    /// and, when <paramref name="trackAccess"/> (EIP-2929, Berlin on), whether it was cold (it is warm afterwards).
    /// </summary>
    public void ReadSlotForStore(in Address address, in UInt256 key, bool trackAccess, out UInt256 current, out UInt256 original, out bool wasCold)
    {
        var slots = SlotsOf(address);
        ref var r = ref Record(slots, address, key);
        current = r.Current;
        original = r.HasOriginal ? r.Original : r.Current;
        wasCold = trackAccess && MarkWarm(ref r, address, key);
    }

    // The transaction's record of a slot, its current value loaded from the account when the record is new or older
    // than the address's last account change (the slot's warmth and original value outlive such a change).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref SlotRecord Record(SlotSubstate slots, in Address address, in UInt256 key)
    {
        ref var r = ref CollectionsMarshal.GetValueRefOrAddDefault(slots.Records, key, out _);
        if (r.Epoch != slots.Epoch)
        {
            r.Current = GetStorage(address, key);
            r.Epoch = slots.Epoch;
        }
        return ref r;
    }

    // Marks a slot's record warm; true when it was cold.
    private bool MarkWarm(ref SlotRecord r, in Address address, in UInt256 key)
    {
        if (r.Warm) return false;
        r.Warm = true;
        _journal.Push(new JournalEntry(JournalKind.WarmSlot, address) { Key = key });
        return true;
    }

    /// <summary>TLOAD.</summary>
    public UInt256 GetTransientStorage(in Address address, in UInt256 key) =>
        _transient.TryGetValue(new SlotKey(address, key), out var v) ? v : UInt256.Zero;

    /// <summary>TSTORE.</summary>
    public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        var slot = new SlotKey(address, key);
        _transient.TryGetValue(slot, out var old);
        _journal.Push(new JournalEntry(JournalKind.Transient, address) { Key = key, Value = old });
        _transient[slot] = value;
    }

    // ---- substate ----

    /// <summary>Marks an account warm; true when it was cold.</summary>
    public bool WarmAccount(in Address address)
    {
        if (!_warmAccounts.Add(address)) return false;
        _journal.Push(new JournalEntry(JournalKind.WarmAccount, address));
        return true;
    }

    /// <summary>True when the account is warm.</summary>
    public bool IsWarm(in Address address) => _warmAccounts.Contains(address);

    /// <summary>Marks a slot warm; true when it was cold.</summary>
    public bool WarmSlot(in Address address, in UInt256 key) => MarkWarm(ref Record(SlotsOf(address), address, key), address, key);

    /// <summary>Appends a log.</summary>
    public void AddLog(LogEntry log)
    {
        _logs.Add(log);
        _journal.Push(new JournalEntry(JournalKind.Log, log.Address));
    }

    /// <summary>Registers an account for deletion at the end of the transaction; true when it was not yet registered.</summary>
    public bool MarkDestructed(in Address address)
    {
        if (!_destructed.Add(address)) return false;
        _journal.Push(new JournalEntry(JournalKind.Destructed, address));
        return true;
    }

    /// <summary>True when the account is registered for deletion.</summary>
    public bool IsDestructed(in Address address) => _destructed.Contains(address);

    /// <summary>Marks an account touched (EIP-161: deleted at the end of the transaction if then empty).</summary>
    public void Touch(in Address address)
    {
        if (_touched.Add(address)) _journal.Push(new JournalEntry(JournalKind.Touched, address));
    }

    // ---- roots ----

    /// <summary>The state root: the secure trie of rlp([nonce, balance, storageRoot, codeHash]) by address.</summary>
    public Hash256 ComputeStateRoot()
    {
        int n = _accounts.Count;
        var keys = new byte[n][];
        var values = new byte[n][];
        int i = 0;
        Span<byte> buf = stackalloc byte[128];
        Span<byte> addr = stackalloc byte[Address.Size];
        foreach (var (address, a) in _accounts)
        {
            address.WriteTo(addr);
            keys[i] = new byte[32];
            Keccak256.Compute(addr, keys[i]);
            var storageRoot = ComputeStorageRoot(a);
            int payload = Rlp.LengthOf(a.Nonce) + Rlp.LengthOf(a.Balance) + 33 + 33;
            int pos = Rlp.WriteListHeader(buf, payload);
            pos += Rlp.Write(buf[pos..], a.Nonce);
            pos += Rlp.Write(buf[pos..], a.Balance);
            pos += Rlp.Write(buf[pos..], storageRoot);
            pos += Rlp.Write(buf[pos..], a.CodeHash);
            values[i] = buf[..pos].ToArray();
            i++;
        }
        return TrieRoot.ComputeInPlace(keys, values);
    }

    /// <summary>The root of an account's storage trie (zero-valued slots left out).</summary>
    public static Hash256 ComputeStorageRoot(Account account)
    {
        int n = 0;
        foreach (var v in account.Storage.Values) if (!v.IsZero) n++;
        if (n == 0) return TrieRoot.Empty;
        var keys = new byte[n][];
        var values = new byte[n][];
        int i = 0;
        Span<byte> slot = stackalloc byte[32];
        foreach (var (k, v) in account.Storage)
        {
            if (v.IsZero) continue;
            k.WriteBigEndian(slot);
            keys[i] = new byte[32];
            Keccak256.Compute(slot, keys[i]);
            values[i] = Rlp.Encode(v);
            i++;
        }
        return TrieRoot.ComputeInPlace(keys, values);
    }

    /// <summary>keccak256(rlp(logs)), each log as [address, [topics…], data].</summary>
    public Hash256 ComputeLogsHash() => ComputeLogsHash(_logs);

    /// <summary>keccak256(rlp(logs)) of a list of logs.</summary>
    public static Hash256 ComputeLogsHash(IReadOnlyList<LogEntry> logs)
    {
        var w = new RlpWriter(256);
        int all = w.StartList();
        foreach (var log in logs)
        {
            int one = w.StartList();
            w.Write(log.Address);
            int topics = w.StartList();
            foreach (var t in log.Topics) w.Write(new Hash256(t));
            w.EndList(topics);
            w.WriteBytes(log.Data);
            w.EndList(one);
        }
        w.EndList(all);
        return Keccak256.Compute(w.Written);
    }

    private readonly record struct SlotKey(Address Address, UInt256 Key);

    /// <summary>
    /// One address's slots in the current transaction: their current values, warmth (EIP-2929) and original values
    /// (EIP-2200), and the SLOAD cache of a busy address.
    /// </summary>
    private sealed class SlotSubstate
    {
        // One record per slot the transaction touched: its current value, warmth and original value together, so that
        // SSTORE's reads are one lookup (they were three in separate maps).
        public readonly Dictionary<UInt256, SlotRecord> Records = new();

        // Records whose Epoch differs hold no current value (0, a new record's, never matches).
        public int Epoch = 1;

        // Warm slots' current values, direct-mapped by the key's low bits: a warm SLOAD that hits (a contract reading
        // the same few hundred slots over and over, as SnailTracer its scene) skips the seeded hash and the map's
        // 112-byte entries. A collision only costs a miss, so an unseeded index cannot be turned against us. Each entry
        // is one 64-byte cache line (key and value; entries of 72 bytes with an epoch took two lines, and the line
        // misses were a third of a hit's time, snailtracer's memory traffic keeping the table out of the caches): an
        // entry is valid when its key is one that maps to it, an invalid one holds InvalidKey(i), which maps elsewhere.
        // Valid entries are warm slots of the current epoch whose value every write and revert keeps equal to the
        // record's; the entries filled since the last new epoch are listed in _filled, so that a new epoch (every
        // transaction) invalidates those and not the whole table. Made (32 KiB, on the pinned heap so that its entries
        // stay line-aligned) once the address has served CacheAfterLoads SLOADs.
        public byte[]? Cache;
        public int CacheOffset;  // bytes from the array's first element to the first line-aligned entry
        private ulong[]? _filled;  // with the cache: bit i set when entry i was filled since the last new epoch
        private int _uncachedLoads;
        private const int CacheSize = 512;
        private const int CacheAfterLoads = 256;
        private const int LineSize = 64;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int CacheIndex(in UInt256 key) => (int)(key.U0 ^ (key.U0 >> 32) ^ key.U1 ^ key.U2 ^ key.U3) & (CacheSize - 1);

        // Entry index of a cache (index below CacheSize: the array holds CacheSize lines past its offset).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ref CachedSlot Entry(byte[] cache, int offset, int index) =>
            ref Unsafe.As<byte, CachedSlot>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache), (nint)(uint)(offset + index * LineSize)));

        // A key that CacheIndex does not map to index: the invalid entry's.
        private static UInt256 InvalidKey(int index) => index == 0 ? UInt256.One : UInt256.Zero;

        // An SLOAD that the cache could not answer: counted until the cache is made.
        public unsafe void CountLoad()
        {
            if (Cache is not null || ++_uncachedLoads < CacheAfterLoads) return;
            var cache = GC.AllocateUninitializedArray<byte>(CacheSize * LineSize + LineSize, pinned: true);
            ref byte first = ref MemoryMarshal.GetArrayDataReference(cache);
            int offset = (int)((LineSize - ((nuint)Unsafe.AsPointer(ref first) & (LineSize - 1))) & (LineSize - 1));
            for (int i = 0; i < CacheSize; i++) Entry(cache, offset, i) = new CachedSlot { Key = InvalidKey(i) };
            CacheOffset = offset;
            _filled = new ulong[CacheSize / 64];
            Cache = cache;
        }

        // A warm slot's current value goes into the cache (replacing what the entry held).
        public void Fill(int index, in UInt256 key, in UInt256 value)
        {
            // Field by field: a whole-struct copy of a temporary here stalled on store forwarding.
            ref var entry = ref Entry(Cache!, CacheOffset, index);
            entry.Key = key;
            entry.Value = value;
            _filled![index >> 6] |= 1UL << index;
        }

        // A slot's current value changed (a write, or a write undone).
        public void Written(in UInt256 key, in UInt256 value)
        {
            if (Cache is null) return;
            ref var c = ref Entry(Cache, CacheOffset, CacheIndex(key));
            if (c.Key == key) c.Value = value;
        }

        // A write undone: the record's current value and the cache's go back to the value before it.
        public void WriteUndone(in UInt256 key, in UInt256 value)
        {
            ref var r = ref CollectionsMarshal.GetValueRefOrNullRef(Records, key);
            if (!Unsafe.IsNullRef(ref r)) r.Current = value;
            Written(key, value);
        }

        // A warming undone: the slot is cold again, in its record and out of the cache.
        public void WarmingUndone(in UInt256 key)
        {
            ref var r = ref CollectionsMarshal.GetValueRefOrNullRef(Records, key);
            if (!Unsafe.IsNullRef(ref r)) r.Warm = false;
            if (Cache is null) return;
            int index = CacheIndex(key);
            ref var c = ref Entry(Cache, CacheOffset, index);
            if (c.Key == key) c.Key = InvalidKey(index);
        }

        public void NewEpoch()
        {
            if (++Epoch == 0) Epoch = 1;
            if (Cache is null || _filled is not { } filled) return;
            // The cache holds the old epoch's values: the entries filled since the last new epoch are invalidated.
            for (int w = 0; w < filled.Length; w++)
            {
                for (ulong bits = filled[w]; bits != 0; bits &= bits - 1)
                {
                    int index = w * 64 + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    Entry(Cache, CacheOffset, index).Key = InvalidKey(index);
                }
                filled[w] = 0;
            }
        }

        public void Clear()
        {
            Records.Clear();
            NewEpoch(); // the cache's slots are cold in the next transaction
        }
    }

    private struct CachedSlot
    {
        public UInt256 Key;
        public UInt256 Value;
    }

    private struct SlotRecord
    {
        public UInt256 Current;   // the account's value, valid while Epoch is the substate's
        public UInt256 Original;  // the value before the transaction's first write, once HasOriginal
        public int Epoch;
        public bool HasOriginal;
        public bool Warm;
    }

    private enum JournalKind : byte
    {
        AccountCreated, AccountReplaced, Balance, Nonce, Code, Storage, Transient,
        WarmAccount, WarmSlot, Log, Destructed, Created, Touched,
    }

    private struct JournalEntry(JournalKind kind, Address address)
    {
        public readonly JournalKind Kind = kind;
        public readonly Address Address = address;
        public UInt256 Key;
        public UInt256 Value;  // old balance / nonce / slot value / code hash (the old code itself: _journalObjects)
    }
}
