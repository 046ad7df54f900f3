using System.Buffers.Binary;
using System.Runtime.InteropServices;
using GslbDns.Pipeline;
using static GslbDns.Listening.LinuxDatagrams;

namespace GslbDns.Listening;

/// <summary>
/// Native buffers for one receive thread: up to <see cref="Capacity"/> datagrams in, as many replies
/// out, each with room for a whole 64 KiB datagram. Pages the kernel never writes stay unbacked, so
/// the reserve costs address space, not memory.
/// </summary>
/// <remarks>
/// Slots are <see cref="SlotStride"/> apart, not 64 KiB: at a power-of-two stride the first bytes
/// of every slot (the only ones a DNS message touches) fall into the same L1 and L2 cache sets, so
/// 32 queries and 32 replies would evict one another on every batch. A skew of five cache lines per
/// slot spreads them over distinct sets, and the replies start half the L1's sets further on.
/// </remarks>
internal sealed unsafe class UdpBatch : IDisposable
{
    public const int Capacity = 32;
    public const int DatagramBytes = 64 * 1024;
    private const int NameBytes = 128; // sockaddr_storage
    private const int CacheLine = 64;
    private const int SlotStride = DatagramBytes + 5 * CacheLine;
    private const int ResponseSkew = 32 * CacheLine;

    private readonly byte* _queries;
    private readonly byte* _responses;
    private readonly byte* _names;
    private readonly IoVec* _receiveIov;
    private readonly IoVec* _sendIov;
    private readonly MMsgHdr* _receive;
    private readonly MMsgHdr* _send;

    public UdpBatch()
    {
        _queries = (byte*)NativeMemory.Alloc(Capacity * (nuint)SlotStride);
        _responses = (byte*)NativeMemory.Alloc(Capacity * (nuint)SlotStride + ResponseSkew);
        _names = (byte*)NativeMemory.AllocZeroed(Capacity * (nuint)NameBytes);
        _receiveIov = (IoVec*)NativeMemory.AllocZeroed(Capacity, (nuint)sizeof(IoVec));
        _sendIov = (IoVec*)NativeMemory.AllocZeroed(Capacity, (nuint)sizeof(IoVec));
        _receive = (MMsgHdr*)NativeMemory.AllocZeroed(Capacity, (nuint)sizeof(MMsgHdr));
        _send = (MMsgHdr*)NativeMemory.AllocZeroed(Capacity, (nuint)sizeof(MMsgHdr));
        for (int i = 0; i < Capacity; i++)
        {
            _receiveIov[i] = new IoVec { Base = _queries + i * SlotStride, Length = DatagramBytes };
            _receive[i].Header.Iov = &_receiveIov[i];
            _receive[i].Header.IovLength = 1;
            _receive[i].Header.Name = _names + i * NameBytes;
        }
    }

    /// <summary>Receives at least one datagram (blocking up to the socket's timeout); returns the count or -errno.</summary>
    public int Receive(int fd)
    {
        for (int i = 0; i < Capacity; i++)
        {
            // The kernel writes the sender's address length and flags back; reset both for reuse.
            _receive[i].Header.NameLength = NameBytes;
            _receive[i].Header.Flags = 0;
        }
        int count = RecvMMsg(fd, _receive, Capacity, MsgWaitForOne, null);
        return count >= 0 ? count : -Marshal.GetLastPInvokeError();
    }

    public bool IsTruncated(int index) => (_receive[index].Header.Flags & MsgTrunc) != 0;

    public ReadOnlySpan<byte> Query(int index) => new(_queries + index * SlotStride, (int)_receive[index].Length);

    public Span<byte> Response(int index) => new(ResponseSlot(index), DatagramBytes);

    /// <summary>The sender of datagram <paramref name="index"/>, read from its sockaddr without allocating.</summary>
    public ClientAddress Sender(int index)
    {
        var name = new ReadOnlySpan<byte>(_names + index * NameBytes, NameBytes);
        // sa_family is in host byte order: AF_INET 2, AF_INET6 10 on Linux.
        ushort family = MemoryMarshal.Read<ushort>(name);
        return family switch
        {
            2 => ClientAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(name[4..])),
            10 => ClientAddress.FromIPv6(name.Slice(8, 16)),
            _ => default,
        };
    }

    /// <summary>The sender's port of datagram <paramref name="index"/>.</summary>
    public ushort SenderPort(int index) => ClientAddress.PortOf(new ReadOnlySpan<byte>(_names + index * NameBytes, NameBytes));

    private byte* ResponseSlot(int index) => _responses + ResponseSkew + index * SlotStride;

    /// <summary>Queues the reply to datagram <paramref name="index"/> at send slot <paramref name="slot"/>.</summary>
    public void QueueReply(int slot, int index, int length)
    {
        _sendIov[slot] = new IoVec { Base = ResponseSlot(index), Length = (nuint)length };
        _send[slot].Header.Iov = &_sendIov[slot];
        _send[slot].Header.IovLength = 1;
        _send[slot].Header.Name = _names + index * NameBytes;
        _send[slot].Header.NameLength = _receive[index].Header.NameLength;
        _send[slot].Header.Flags = 0;
    }

    /// <summary>Sends queued replies from <paramref name="first"/>; returns how many went, or -errno.</summary>
    public int Send(int fd, int first, int count)
    {
        int sent = SendMMsg(fd, _send + first, (uint)count, 0);
        return sent >= 0 ? sent : -Marshal.GetLastPInvokeError();
    }

    public void Dispose()
    {
        NativeMemory.Free(_queries);
        NativeMemory.Free(_responses);
        NativeMemory.Free(_names);
        NativeMemory.Free(_receiveIov);
        NativeMemory.Free(_sendIov);
        NativeMemory.Free(_receive);
        NativeMemory.Free(_send);
    }
}
