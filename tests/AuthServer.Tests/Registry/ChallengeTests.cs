using AuthServer.Registry.Auth;

namespace AuthServer.Tests.Registry;

public class ChallengeTests
{
    [Theory]
    [InlineData("GET", "pull")]
    [InlineData("HEAD", "pull")]
    [InlineData("POST", "pull,push")]
    [InlineData("PUT", "pull,push")]
    [InlineData("PATCH", "pull,push")]
    [InlineData("DELETE", "delete")]
    [InlineData("OPTIONS", "")]
    public void Each_method_needs_the_actions_distribution_requires(string method, string actions)
    {
        var required = RequiredAccess.ForRepository(method, "a/b", from: null);

        Assert.Equal(actions, string.Join(',', required.Select(r => r.Action)));
        Assert.All(required, r => Assert.Equal(("repository", "a/b"), (r.Type, r.Name)));
    }

    [Fact]
    public void Mount_challenge_names_each_repository_once_with_its_actions()
    {
        var required = RequiredAccess.ForRepository("POST", "team/app", from: "base/image");

        Assert.Equal(
            "Bearer realm=\"https://auth.example/token\",service=\"registry\",scope=\"repository:team/app:pull,push repository:base/image:pull\",error=\"insufficient_scope\"",
            Challenge.HeaderValue("https://auth.example/token", "registry", required, AuthFailure.InsufficientScope));
    }

    [Theory]
    [InlineData(AuthFailure.TokenRequired, "")]
    [InlineData(AuthFailure.MalformedToken, ",error=\"invalid_token\"")]
    [InlineData(AuthFailure.InvalidToken, ",error=\"invalid_token\"")]
    [InlineData(AuthFailure.ClaimsUnverified, "")]
    [InlineData(AuthFailure.InsufficientScope, ",error=\"insufficient_scope\"")]
    public void Each_failure_adds_the_error_parameter_distribution_adds(AuthFailure failure, string suffix)
    {
        Assert.Equal("Bearer realm=\"r\",service=\"s\"" + suffix, Challenge.HeaderValue("r", "s", RequiredAccess.None, failure));
    }

    [Fact]
    public void Values_are_quoted_as_Go_quotes_them()
    {
        Assert.Equal("\"a\\\"b\\\\c\\nd\\x01\"", Challenge.GoQuote("a\"b\\c\nd\u0001"));
    }

    [Fact]
    public void A_granted_star_covers_every_action_on_its_resource_only()
    {
        var granted = new AccessSet();
        granted.Add("repository", "a/b", "*");

        Assert.True(granted.Contains(new AccessItem("repository", "a/b", "delete")));
        Assert.False(granted.Contains(new AccessItem("repository", "a/c", "pull")));
        Assert.False(granted.Contains(new AccessItem("registry", "catalog", "*")));
    }
}
