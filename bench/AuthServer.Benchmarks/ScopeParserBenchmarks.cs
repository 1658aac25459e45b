using AuthServer.Core.Scopes;
using BenchmarkDotNet.Attributes;

namespace AuthServer.Benchmarks;

[MemoryDiagnoser]
public class ScopeParserBenchmarks
{
    private readonly string?[] _one = ["repository:team/app:pull"];
    private readonly string?[] _several = ["repository:team/app:pull,push repository:team/base:pull", "repository:registry.example.com:5000/lib/x:pull"];

    [Benchmark(Baseline = true)]
    public IReadOnlyList<ResourceScope> OneScope() => ScopeParser.Parse(_one);

    [Benchmark]
    public IReadOnlyList<ResourceScope> ThreeScopesWithHostAndPort() => ScopeParser.Parse(_several);
}
