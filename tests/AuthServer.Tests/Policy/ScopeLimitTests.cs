using AuthServer.Core.Errors;
using AuthServer.Core.Policy;

namespace AuthServer.Tests.Policy;

public class ScopeLimitTests
{
    [Theory]
    [InlineData("repository:team/**:pull,push", "repository:team/**:pull,push")]
    [InlineData("repository:team/*:push,pull,pull", "repository:team/*:pull,push")]
    [InlineData("registry:catalog:*", "registry:catalog:*")]
    [InlineData("repository:localhost:5000/app:pull", "repository:localhost:5000/app:pull")]
    [InlineData("repository:${user}/**:*", "repository:${user}/**:*")]
    public void Limits_parse_to_a_normal_form(string text, string normal) =>
        Assert.Equal(normal, ScopeLimit.Parse(text).ToString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("repository", "type:pattern:actions")]
    [InlineData("repository:team/**", "type:pattern:actions")]
    [InlineData("Repo:team:pull", "type")]
    [InlineData("repository:Team:pull", "lower-case")]
    [InlineData("repository:team//x:pull", "empty segment")]
    [InlineData("repository:team:", "at least one action")]
    [InlineData("repository:team:pu$h", "not an action")]
    public void Bad_limits_are_refused_with_the_reason(string text, string reason) =>
        Assert.Contains(reason, ScopeLimit.Problem(text));

    [Fact]
    public void A_set_of_limits_round_trips_through_its_stored_form()
    {
        var limits = ScopeLimits.FromInput(["repository:a/**:pull", "registry:catalog:*"])!;
        Assert.Equal("repository:a/**:pull registry:catalog:*", limits.ToStored());
        Assert.Equal(limits.ToStrings(), ScopeLimits.FromStored(limits.ToStored())!.ToStrings());
        Assert.Null(ScopeLimits.FromInput([]));
        Assert.Null(ScopeLimits.FromStored(null));
    }

    [Fact]
    public void Too_many_limits_are_refused()
    {
        var many = Enumerable.Range(0, ScopeLimits.MaxCount + 1).Select(i => $"repository:r{i}:pull").ToArray();
        Assert.Equal("scopes", Assert.Throws<ValidationFailedException>(() => ScopeLimits.FromInput(many)).Field);
    }
}
