namespace GslbDns.Metrics;

/// <summary>
/// Which stripe of a striped counter block the calling thread adds to. The first
/// <see cref="Exclusive"/> threads that count get a stripe of their own for good (the UDP receive
/// loops start first and run for the life of the process), so their adds need no interlocked
/// instruction: a lock-prefixed add is a full barrier on x64 and costs tens of cycles, several times
/// per query. Later threads (thread-pool workers serving TCP and the API) share stripe 0 and add with
/// <see cref="Interlocked"/>. A stripe is never handed to a second thread, also after its owner ends,
/// so a single writer per exclusive stripe holds; readers see each 64-bit cell whole (aligned 64-bit
/// loads and stores are atomic on the 64-bit targets the server runs on).
/// </summary>
internal static class CounterStripe
{
    /// <summary>Stripes in a block: stripe 0 shared, the others one thread's each.</summary>
    public const int Stripes = 16;

    public const int Exclusive = Stripes - 1;

    [ThreadStatic]
    private static int t_stripe;

    private static int s_assigned;

    /// <summary>The calling thread's stripe: 1..<see cref="Exclusive"/> its own, 0 shared.</summary>
    public static int Current
    {
        get
        {
            int stripe = t_stripe;
            return stripe != 0 ? stripe & (Stripes - 1) : Assign();
        }
    }

    /// <summary>Adds <paramref name="value"/> to a cell of stripe <paramref name="stripe"/>.</summary>
    public static void Add(ref long cell, long value, int stripe)
    {
        if (stripe == 0)
        {
            Interlocked.Add(ref cell, value);
        }
        else
        {
            Volatile.Write(ref cell, cell + value);
        }
    }

    private static int Assign()
    {
        int next = Interlocked.Increment(ref s_assigned);
        int stripe = next <= Exclusive ? next : 0;
        // The Stripes bit marks "assigned", so a thread on the shared stripe 0 does not come back here each time.
        t_stripe = stripe | Stripes;
        return stripe;
    }
}
