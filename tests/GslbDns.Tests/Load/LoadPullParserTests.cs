using System.Text;
using GslbDns.Load;

namespace GslbDns.Tests.Load;

/// <summary>The pulled body formats: report JSON (strict) and HAProxy CSV stats.</summary>
public class LoadPullParserTests
{
    /// <summary>HAProxy 2.x <c>show stat</c>: a frontend, backend web with servers in every state, another backend, the stats listener.</summary>
    public const string Csv = """
        # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_err,h2_detected_strm_protocol_err,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
        fe_http,FRONTEND,,,412,988,10000,88123,123456,654321,0,0,3,,,,,OPEN,,,,,,,,,1,2,0,,,,0,25,0,80,,,,0,80000,12,40,3,0,,25,80,88100,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,25,80,88123,0,0,0,0,,,0,0,,,,,,,0,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        web,web1,0,0,180,300,2000,40000,60000,300000,,0,,0,0,0,0,UP,1,1,0,0,0,5000,0,,1,3,1,,40000,,2,12,,40,L7OK,200,1,0,39000,5,10,1,0,,,,39990,2,0,,,,,1,HTTP status check validated,,0,1,5,10,,,,Layer7 check passed: OK,,2,3,4,,,,10.0.1.11:80,,http,,,,,,,,0,0,40000,,,0,,0,1,3,11,0,0,1,0,0,1,L7OK,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        web,web2,0,0,220,310,2000,41000,61000,310000,,0,,0,0,0,0,UP 1/3,1,1,0,1,0,20,0,,1,3,2,,41000,,2,13,,41,L7OK,200,1,0,40000,5,10,1,0,,,,40990,2,0,,,,,1,"HTTP status check validated, 1/3",,0,1,5,10,,,,Layer7 check passed: OK,,2,3,2,,,,10.0.1.12:80,,http,,,,,,,,0,0,41000,,,0,,0,1,3,11,0,0,1,0,0,1,L7OK,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        web,web3,0,0,0,50,2000,5000,6000,30000,,0,,12,0,0,0,DOWN,1,1,0,5,1,300,300,,1,3,3,,5000,,2,0,,5,L4CON,,0,0,5000,0,0,0,0,,,,5000,0,0,,,,,300,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,2,3,0,,,,10.0.1.13:80,,http,,,,,,,,0,0,5000,,,0,,0,1,3,11,0,0,0,0,0,1,L4CON,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        web,web4,0,0,3,10,2000,900,1000,5000,,0,,0,0,0,0,MAINT,1,1,0,0,1,3000,3000,,1,3,4,,900,,2,0,,2,,,,0,900,0,0,0,0,,,,900,0,0,,,,,3000,,,0,0,0,0,,,,,,,,,,,,10.0.1.14:80,,http,,,,,,,,0,0,900,,,0,,0,0,0,0,0,0,0,0,0,1,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        web,web5,0,0,7,20,,1200,2000,9000,,0,,0,0,0,0,no check,1,1,0,,,,,,1,3,5,,1200,,2,1,,3,,,,0,1200,0,0,0,0,,,,1200,0,0,,,,,2,,,0,1,2,3,,,,,,,,,,,,10.0.1.15:80,,http,,,,,,,,0,0,1200,,,0,,0,1,2,3,0,0,0,0,0,1,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        web,BACKEND,0,0,410,600,1000,88100,130000,654000,0,0,,12,0,0,0,UP,4,4,0,,1,5000,0,,1,3,0,,88100,,1,25,,80,,,,0,80000,12,40,3,0,,,,88000,4,0,0,0,0,0,1,,,0,1,5,10,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,88100,0,0,,,0,1,3,11,0,,,,,4,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        api,api1,0,0,40,90,500,9000,9000,90000,,0,,0,0,0,0,UP,1,1,0,0,0,5000,0,,1,4,1,,9000,,2,3,,9,L4OK,,0,0,9000,0,0,0,0,,,,9000,0,0,,,,,1,Layer4 check passed,,0,1,2,3,,,,Layer4 check passed,,2,3,4,,,,10.0.1.21:8080,,http,,,,,,,,0,0,9000,,,0,,0,1,2,3,0,0,1,0,0,1,L4OK,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        api,BACKEND,0,0,40,90,1000,9000,9000,90000,0,0,,0,0,0,0,UP,1,1,0,,0,5000,0,,1,4,0,,9000,,1,3,,9,,,,0,9000,0,0,0,0,,,,9000,0,0,0,0,0,0,1,,,0,1,2,3,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,9000,0,0,,,0,1,2,3,0,,,,,1,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        stats,FRONTEND,,,1,2,100,50,5000,60000,0,0,0,,,,,OPEN,,,,,,,,,1,5,0,,,,0,1,0,2,,,,0,49,0,0,0,1,,1,2,50,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,1,2,50,49,0,0,0,,,0,0,,,,,,,0,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        stats,BACKEND,0,0,0,1,10,0,5000,60000,0,0,,0,0,0,0,UP,0,0,0,,0,5000,,,1,5,0,,0,,1,0,,1,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,0,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,

        """;

    [Fact]
    public void Csv_SumsTheServersInService_OfTheNamedBackend()
    {
        // web1 (UP) + web2 (UP 1/3, going down) + web5 (no check); web3 DOWN and web4 MAINT do not count.
        var load = HaproxyCsv.Parse(Csv, "web");
        Assert.Equal(180 + 220 + 7, load.Connections);
        Assert.Null(load.Capacity); // web5 has no slim
        Assert.Equal(3, load.ServersUp);
        Assert.Equal(5, load.Servers);
    }

    [Fact]
    public void Csv_CapacityIsTheSumOfLimits_WhenEveryCountedServerHasOne()
    {
        var load = HaproxyCsv.Parse(Csv, "api");
        Assert.Equal(new HaproxyLoad(40, 500, 1, 1), load);
    }

    [Fact]
    public void Csv_WithoutBackend_SumsEveryBackend()
    {
        var load = HaproxyCsv.Parse(Csv, null);
        Assert.Equal(180 + 220 + 7 + 40, load.Connections);
        Assert.Equal(4, load.ServersUp);
        Assert.Equal(6, load.Servers);
    }

    [Theory]
    [InlineData("hello,world\n", "header")]
    [InlineData("# pxname,svname,qcur\nweb,web1,0\n", "scur")]
    public void Csv_Malformed_Throws(string text, string mentions)
    {
        var ex = Assert.Throws<FormatException>(() => HaproxyCsv.Parse(text, null));
        Assert.Contains(mentions, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_UnknownBackend_Throws()
    {
        Assert.Contains("'nope'", Assert.Throws<FormatException>(() => HaproxyCsv.Parse(Csv, "nope")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_AllFields()
    {
        Assert.True(LoadReportJson.TryParse("""{"cpu":0.72,"memory":0.55,"connections":4100,"capacity":5000,"ttl":15}"""u8, out var body, out var error), error);
        Assert.Equal(new GslbDns.Steering.State.LoadReport(0.72, 0.55, 4100, 5000), body.Report);
        Assert.Equal(TimeSpan.FromSeconds(15), body.Ttl);
    }

    [Theory]
    [InlineData("""{"cpu":0.5,"load":1}""", "'load'")]
    [InlineData("""{"cpu":"0.5"}""", "'cpu'")]
    [InlineData("""{"memory":1.5}""", "'memory'")]
    [InlineData("""{"connections":-1}""", "'connections'")]
    [InlineData("""{"capacity":2.5}""", "'capacity'")]
    [InlineData("""{"cpu":0.1,"ttl":7200}""", "'ttl'")]
    [InlineData("""{"ttl":10}""", "no load field")]
    [InlineData("""[1]""", "object")]
    [InlineData("""{"cpu":0.1""", "JSON")]
    public void Json_Errors_NameTheField(string json, string mentions)
    {
        Assert.False(LoadReportJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains(mentions, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://lb/stats;csv", "# pxname,svname,scur,slim,status\nweb,s1,5,10,UP\n", "csv")]
    [InlineData("http://lb/load", "# pxname,svname,scur,slim,status\nweb,s1,5,10,UP\n", "csv")]
    [InlineData("http://lb/stats;csv", "{\"cpu\":0.5}", "json")]
    [InlineData("http://lb/load.json", " \n{\"cpu\":0.5}", "json")]
    public void Http_TellsTheFormatsApart_ByBodyThenUrl(string url, string body, string format)
    {
        var result = HttpLoadSource.Interpret(new Uri(url), null, Encoding.UTF8.GetBytes(body));
        Assert.True(result.Ok, result.Failure);
        Assert.Equal(format == "csv" ? new GslbDns.Steering.State.LoadReport(null, null, 5, 10) : new GslbDns.Steering.State.LoadReport(0.5, null, null, null),
            result.Report);
    }

    [Fact]
    public void Http_CsvUrlWithAnotherBody_FailsNamingTheFormat()
    {
        var result = HttpLoadSource.Interpret(new Uri("http://lb/stats;csv"), null, "<html>"u8);
        Assert.False(result.Ok);
        Assert.StartsWith("HAProxy CSV:", result.Failure, StringComparison.Ordinal);
    }
}
