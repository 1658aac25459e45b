using AuthServer.Core.Policy;

namespace AuthServer.Tests.Policy;

public class NamePatternTests
{
    [Theory]
    [InlineData("library/*", "library/nginx", true)]
    [InlineData("library/*", "library/nginx/extra", false)]
    [InlineData("library/*", "library", false)]
    [InlineData("team/**", "team/a", true)]
    [InlineData("team/**", "team/a/b/c", true)]
    [InlineData("team/**", "team", true)]
    [InlineData("team/**", "teams/a", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("**/base", "x/y/base", true)]
    [InlineData("**/base", "base", true)]
    [InlineData("**/base", "x/basement", false)]
    [InlineData("a/**/z", "a/z", true)]
    [InlineData("a/**/z", "a/b/c/z", true)]
    [InlineData("a/**/z", "a/b/c/y", false)]
    [InlineData("app-*", "app-web", true)]
    [InlineData("app-*", "app-", true)]
    [InlineData("app-*", "web-app", false)]
    [InlineData("*-cache/*", "npm-cache/x", true)]
    [InlineData("exact/name", "exact/name", true)]
    [InlineData("exact/name", "exact/name2", false)]
    [InlineData("localhost:5000/**", "localhost:5000/a", true)]
    public void Matches_by_segment(string pattern, string name, bool expected) =>
        Assert.Equal(expected, NamePattern.Parse(pattern).IsMatch(name, user: null));

    [Fact]
    public void User_variable_stands_for_the_callers_name()
    {
        var pattern = NamePattern.Parse("${user}/**");
        Assert.True(pattern.IsMatch("alice/app", "alice"));
        Assert.False(pattern.IsMatch("bob/app", "alice"));
        Assert.False(pattern.IsMatch("alice/app", user: null));
    }

    [Fact]
    public void User_variable_may_be_part_of_a_segment()
    {
        var pattern = NamePattern.Parse("home/${user}-*");
        Assert.True(pattern.IsMatch("home/alice-dev", "alice"));
        Assert.False(pattern.IsMatch("home/bob-dev", "alice"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a//b")]
    [InlineData("a/**b")]
    [InlineData("Upper/case")]
    [InlineData("a/b/")]
    [InlineData("spaces are bad")]
    public void Invalid_patterns_are_explained(string pattern) =>
        Assert.NotNull(NamePattern.Problem(pattern));
}
