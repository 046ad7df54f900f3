using System.Globalization;
using System.Text;
using GslbDns.Steering.Policy;
using GslbDns.Steering.Topology;

namespace GslbDns.Steering.Choice;

/// <summary>Renders a decision for operators (an <c>explain</c> command or a debug log line). Not for the query path.</summary>
public static class ChoiceExplanation
{
    /// <summary>
    /// For example: <c>www.example.com.: rule at example.com.gslb.yaml:19 gives [ap, [eu, us]];
    /// ap chosen; eu lower-rank; us shedding</c>.
    /// </summary>
    public static string Describe(ServicePolicy service, TopologyOutcome outcome, RegionChoice choice, ReadOnlySpan<RegionVerdict> verdicts)
    {
        var text = new StringBuilder();
        var rule = service.Rules[outcome.RuleIndex];
        text.Append(service.Name.ToString()).Append(": ")
            .Append(rule.IsDefault ? "default rule at " : "rule at ").Append(rule.Source)
            .Append(" gives ").Append(outcome.Ranking.Format(service.Regions));
        if (outcome.LocationUnknown) text.Append(" (client location unknown)");
        text.Append(';');
        switch (choice.Kind)
        {
            case ChoiceKind.ServFail:
                text.Append(" nothing live, answering SERVFAIL;");
                break;
            case ChoiceKind.NoData:
                text.Append(" nothing live, answering NODATA;");
                break;
            default:
                if (choice.FailedOpen) text.Append(" nothing live, failing open;");
                if (choice.IsShed) text.Append(" shed by load from ").Append(service.Regions[choice.ShedFrom].Name).Append(';');
                if (choice.Spilled) text.Append(" first preference unusable, spilled by spare capacity;");
                if (choice.Overloaded) text.Append(" shed by load but no other region can take it;");
                if (choice.DependsOnClientKey) text.Append(" depends on the client network;");
                break;
        }
        for (int i = 0; i < service.Regions.Length && i < verdicts.Length; i++)
        {
            if (verdicts[i] == RegionVerdict.NotRanked) continue;
            text.Append(' ').Append(service.Regions[i].Name).Append(' ').Append(Word(verdicts[i])).Append(';');
        }
        text.Length--;
        return text.ToString();
    }

    private static string Word(RegionVerdict verdict) => verdict switch
    {
        RegionVerdict.Chosen => "chosen",
        RegionVerdict.LowerRank => "lower-rank",
        RegionVerdict.Outweighed => "outweighed",
        RegionVerdict.Shed => "shed",
        RegionVerdict.Drained => "drained",
        RegionVerdict.AdminDown => "admin-down",
        RegionVerdict.HealthDown => "health-down",
        _ => ((int)verdict).ToString(CultureInfo.InvariantCulture),
    };
}
