namespace GslbDns.Tapping;

/// <summary>
/// A bounded queue of fixed-size slots, all allocated up front, filled by many query threads (the UDP
/// receive threads and TCP on the thread pool) and emptied by one writer thread. A slot is a record
/// struct plus a byte area for the message bytes the record refers to.
/// <para>
/// The algorithm is Dmitry Vyukov's bounded MPMC queue, used here with one consumer: each slot holds
/// a sequence number that says whose turn it is. A producer claims a ticket with one compare-and-swap
/// and publishes with one volatile write; it never waits, never locks and never allocates, and when
/// every slot is taken it gives up at once and the record is counted as dropped: a slow disk or an
/// absent collector costs records, never answers.
/// </para>
/// </summary>
public sealed class TapQueue<TRecord> where TRecord : struct
{
    private readonly TRecord[] _records;
    private readonly byte[] _payload;
    private readonly long[] _sequences;
    private readonly int _mask;
    private readonly int _payloadBytes;

    // The producers' and the consumer's positions, each on a cache line of its own: producers on
    // different cores fight over the first, and should not also slow the writer thread down.
    private PaddedLong _enqueue;
    private PaddedLong _dequeue;
    private PaddedLong _dropped;

    /// <param name="capacity">Slots; rounded up to a power of two.</param>
    /// <param name="payloadBytes">Bytes each slot holds beside its record.</param>
    public TapQueue(int capacity, int payloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadBytes);
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _records = new TRecord[size];
        _payload = GC.AllocateUninitializedArray<byte>(size * payloadBytes, pinned: false);
        _sequences = new long[size];
        for (int i = 0; i < size; i++) _sequences[i] = i;
        _mask = size - 1;
        _payloadBytes = payloadBytes;
    }

    public int Capacity => _records.Length;

    public int PayloadBytes => _payloadBytes;

    /// <summary>Records refused because every slot was taken.</summary>
    public long Dropped => Volatile.Read(ref _dropped.Value);

    /// <summary>Claims a free slot for a producer; false (and one more dropped) when the queue is full.</summary>
    public bool TryClaim(out long ticket)
    {
        long position = Volatile.Read(ref _enqueue.Value);
        while (true)
        {
            long sequence = Volatile.Read(ref _sequences[(int)position & _mask]);
            long difference = sequence - position;
            if (difference == 0)
            {
                long seen = Interlocked.CompareExchange(ref _enqueue.Value, position + 1, position);
                if (seen == position)
                {
                    ticket = position;
                    return true;
                }
                position = seen;
            }
            else if (difference < 0)
            {
                // The slot still holds a record from one lap ago: the writer is that far behind.
                Interlocked.Increment(ref _dropped.Value);
                ticket = -1;
                return false;
            }
            else
            {
                position = Volatile.Read(ref _enqueue.Value);
            }
        }
    }

    public ref TRecord RecordAt(long ticket) => ref _records[(int)ticket & _mask];

    public Span<byte> PayloadAt(long ticket) => _payload.AsSpan(((int)ticket & _mask) * _payloadBytes, _payloadBytes);

    /// <summary>Hands a filled slot to the consumer.</summary>
    public void Publish(long ticket) => Volatile.Write(ref _sequences[(int)ticket & _mask], ticket + 1);

    /// <summary>The oldest published slot, for the one consumer; false when there is none (yet).</summary>
    public bool TryPeek(out long ticket)
    {
        long position = _dequeue.Value;
        if (Volatile.Read(ref _sequences[(int)position & _mask]) == position + 1)
        {
            ticket = position;
            return true;
        }
        ticket = -1;
        return false;
    }

    /// <summary>Gives a consumed slot back to the producers, one lap later.</summary>
    public void Release(long ticket)
    {
        _records[(int)ticket & _mask] = default; // drops references (a steered service) the record held
        Volatile.Write(ref _sequences[(int)ticket & _mask], ticket + _records.Length);
        _dequeue.Value = ticket + 1;
    }
}

/// <summary>A counter alone on its cache line (64 bytes either side), outside the generic queue: generic types cannot have explicit layout.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    [System.Runtime.InteropServices.FieldOffset(64)]
    public long Value;
}
