using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release -- --filter '*' [--job short]; bench/query-path.sh runs it and writes the tables.
// Min and Median beside the mean: on a shared machine the mean carries other programs' time slices.
var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Min, StatisticColumn.Median);
BenchmarkSwitcher.FromAssembly(typeof(GslbDns.Bench.QueryPath.Parse).Assembly).Run(args, config);
