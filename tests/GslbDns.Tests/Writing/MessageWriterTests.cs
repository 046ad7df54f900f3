using GslbDns.Writing;
using GslbDns.Protocol;

namespace GslbDns.Tests.Writing;

public sealed class MessageWriterTests
{
    private static readonly byte[] Question = [3, (byte)'W', (byte)'w', (byte)'W', 7, .. "example"u8, 3, .. "com"u8, 0, 0, 1, 0, 1];

    [Fact]
    public void Owner_OfQuestionName_IsAPointerToTheQuestion()
    {
        var buffer = new byte[512];
        var writer = new MessageWriter(buffer, 512);
        writer.WriteQuestion(Question, Question.Length - 4);
        Assert.True(writer.WriteRecord(Section.Answer, default, RecordType.A, 1, 60, [192, 0, 2, 1], RdataNames.None));
        int length = writer.Finish();
        int rr = 12 + Question.Length;
        Assert.Equal(new byte[] { 0xc0, 12 }, buffer[rr..(rr + 2)]);
        Assert.Equal(rr + 2 + 10 + 4, length);
        Assert.Equal(1, buffer[7]);
    }

    [Fact]
    public void RdataName_SuffixIsCompressedAgainstTheQuestion()
    {
        var buffer = new byte[512];
        var writer = new MessageWriter(buffer, 512);
        writer.WriteQuestion(Question, Question.Length - 4);
        var target = DnsName.Parse("mail.example.com.").Wire.ToArray();
        Assert.True(writer.WriteRecord(Section.Answer, default, RecordType.CNAME, 1, 60, target, new RdataNames(0)));
        int length = writer.Finish();
        int rdata = 12 + Question.Length + 2 + 10;
        // "mail" then a pointer to "example.com" inside the question (offset 16).
        Assert.Equal(new byte[] { 4, (byte)'m', (byte)'a', (byte)'i', (byte)'l', 0xc0, 16 }, buffer[rdata..length]);
        Assert.Equal(7, buffer[rdata - 1]);
    }

    [Fact]
    public void RdataName_IsNotCompressedAgainstADifferentLetterCase()
    {
        // Question "WwW.example.com": a pointer to "WwW..." would put the client's case into RDATA.
        var buffer = new byte[512];
        var writer = new MessageWriter(buffer, 512);
        writer.WriteQuestion(Question, Question.Length - 4);
        var target = DnsName.Parse("www.example.com.").Wire.ToArray();
        Assert.True(writer.WriteRecord(Section.Answer, default, RecordType.CNAME, 1, 60, target, new RdataNames(0)));
        int length = writer.Finish();
        int rdata = 12 + Question.Length + 2 + 10;
        Assert.Equal(new byte[] { 3, (byte)'w', (byte)'w', (byte)'w', 0xc0, 16 }, buffer[rdata..length]);
    }

    [Fact]
    public void UncompressibleRdata_IsCopiedAsIs()
    {
        var buffer = new byte[512];
        var writer = new MessageWriter(buffer, 512);
        writer.WriteQuestion(Question, Question.Length - 4);
        byte[] srv = [0, 10, 0, 60, 0x13, 0xc4, .. DnsName.Parse("sip.example.com.").Wire];
        Assert.True(writer.WriteRecord(Section.Answer, default, RecordType.SRV, 1, 60, srv, RdataNames.None));
        int length = writer.Finish();
        Assert.Equal(srv, buffer[(length - srv.Length)..length]);
    }

    [Fact]
    public void RecordThatDoesNotFit_LeavesTheMessageUnchanged()
    {
        var buffer = new byte[512];
        var writer = new MessageWriter(buffer, 12 + Question.Length + 20);
        writer.WriteQuestion(Question, Question.Length - 4);
        Assert.True(writer.WriteRecord(Section.Answer, default, RecordType.A, 1, 60, [192, 0, 2, 1], RdataNames.None));
        int before = writer.Position;
        Assert.False(writer.WriteRecord(Section.Answer, default, RecordType.A, 1, 60, [192, 0, 2, 2], RdataNames.None));
        Assert.Equal(before, writer.Position);
        Assert.Equal(1, writer.AnswerCount);
    }

    [Fact]
    public void RestoredMark_ForgetsCompressionTargetsWrittenAfterIt()
    {
        var buffer = new byte[512];
        var writer = new MessageWriter(buffer, 512);
        writer.WriteQuestion(Question, Question.Length - 4);
        var mark = writer.Save();
        var other = DnsName.Parse("host.example.net.").Wire.ToArray();
        writer.WriteRecord(Section.Answer, other, RecordType.A, 1, 60, [192, 0, 2, 1], RdataNames.None);
        writer.Restore(mark);
        // Written again after the restore: must be literal, not a pointer into discarded bytes.
        writer.WriteRecord(Section.Answer, DnsName.Parse("x.example.net.").Wire, RecordType.A, 1, 60, [192, 0, 2, 1], RdataNames.None);
        int at = 12 + Question.Length;
        Assert.Equal(1, buffer[at]);
        Assert.Equal((byte)'x', buffer[at + 1]);
        Assert.Equal(7, buffer[at + 2]);
    }
}
