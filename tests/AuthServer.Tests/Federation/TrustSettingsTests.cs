using AuthServer.Core.Federation;
using AuthServer.Hosting;

namespace AuthServer.Tests.Federation;

/// <summary>Trusts are checked at start like every setting; a loose trust would let any CI job in as the robot.</summary>
public class TrustSettingsTests
{
    private static TrustOptions Good() => new()
    {
        Name = "gha",
        Issuer = "https://token.actions.githubusercontent.com",
        Audiences = ["registry.example.com"],
        Claims = new() { ["repository"] = "octo/app" },
        Robot = "robot+ci",
    };

    private static string[] Errors(FederationOptions options) =>
        new FederationOptionsValidator().Validate(null, options).Failures?.ToArray() ?? [];

    [Fact]
    public void A_complete_trust_is_accepted() => Assert.Empty(Errors(new FederationOptions { Trusts = [Good()] }));

    [Theory]
    [InlineData("http://token.actions.githubusercontent.com", "Issuer must use https")]
    [InlineData("http://127.0.0.1:8080", "Issuer must use https")]
    [InlineData("not a url", "Issuer is not an absolute URL")]
    [InlineData("https://issuer.example.com/?x=1", "Issuer is not an absolute URL")]
    public void An_issuer_not_on_https_is_refused(string issuer, string error)
    {
        var trust = Good();
        trust.Issuer = issuer;
        Assert.Contains(Errors(new FederationOptions { Trusts = [trust] }), e => e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public void A_loopback_http_issuer_only_when_allowed_for_tests()
    {
        var trust = Good();
        trust.Issuer = "http://127.0.0.1:8080";
        Assert.Empty(Errors(new FederationOptions { Trusts = [trust], AllowHttpLoopbackIssuers = true }));
        trust.Issuer = "http://10.0.0.1:8080";
        Assert.NotEmpty(Errors(new FederationOptions { Trusts = [trust], AllowHttpLoopbackIssuers = true }));
    }

    [Fact]
    public void A_trust_without_conditions_audience_or_robot_is_refused()
    {
        var open = Good();
        open.Claims = new() { ["repository"] = "*" };
        var noAudience = Good();
        noAudience.Audiences = [];
        var person = Good();
        person.Robot = "alice";
        var twin = Good();
        var errors = Errors(new FederationOptions { Trusts = [Good(), open, noAudience, person, twin] });
        Assert.Contains(errors, e => e.Contains("Trusts:1:Claims", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Trusts:2:Audiences", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Trusts:3:Robot", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Trusts:4:Name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("octo/app", "octo/app", true)]
    [InlineData("octo/app", "octo/app2", false)]
    [InlineData("octo/*", "octo/app", true)]
    [InlineData("octo/*", "octopus/app", false)]
    [InlineData("refs/heads/*", "refs/heads/release/1.2", true)]
    [InlineData("refs/heads/*", "refs/tags/v1", false)]
    [InlineData("repo:octo/*:ref:refs/heads/main", "repo:octo/app:ref:refs/heads/main", true)]
    [InlineData("repo:octo/*:ref:refs/heads/main", "repo:octo/app:ref:refs/heads/dev", false)]
    [InlineData("v?", "v1", true)]
    [InlineData("v?", "v10", false)]
    [InlineData("*a*b*c*", "xxaxxbxxcxx", true)]
    [InlineData("*a*b*c*", "xxaxxcxxbxx", false)]
    [InlineData("a*a", "a", false)]
    public void Claim_patterns(string pattern, string value, bool matches) => Assert.Equal(matches, ClaimPattern.Matches(pattern, value));
}
