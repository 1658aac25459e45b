using System.Text;
using System.Text.RegularExpressions;
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
    [InlineData("team/**", "team", false)]
    [InlineData("team/**/x", "team/x", true)]
    [InlineData("**/**/**/z", "z", true)]
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

    [Fact]
    public void The_seed_rule_grants_the_namespace_below_the_name_not_a_repository_named_like_the_user()
    {
        var pattern = NamePattern.Parse("${user}/**");
        Assert.True(pattern.IsMatch("alice/app", "alice"));
        Assert.False(pattern.IsMatch("alice", "alice"));
        Assert.True(pattern.IsPrefixOnly(["alice"], "alice"));
        Assert.Equal("${user}/**", pattern.Text);
    }

    [Fact]
    public void Many_double_stars_cost_no_more_than_one()
    {
        // Exponential backtracking would not finish this in a lifetime: 40 ** against 200 segments without the final z.
        var pattern = NamePattern.Parse(string.Join('/', Enumerable.Repeat("**", 40)) + "/z");
        var name = string.Join('/', Enumerable.Repeat("a", 200));
        Assert.False(pattern.IsMatch(name, user: null));
        Assert.True(pattern.IsMatch(name + "/z", user: null));
    }

    [Fact]
    public void Redundant_double_stars_are_recognised()
    {
        Assert.True(NamePattern.HasRedundantWildcard("**/**/z"));
        Assert.True(NamePattern.HasRedundantWildcard("a/**/**"));
        Assert.False(NamePattern.HasRedundantWildcard("**/a/**"));
    }

    private static readonly string[] PatternSegments = ["a", "b", "*", "a*", "**", "${user}"];
    private static readonly string[] NameParts = ["a", "b", "ab", "u"];

    /// <summary>Every pattern of up to 3 segments against every name of up to 4 parts, compared with a regular expression.</summary>
    [Fact]
    public void Agrees_with_a_regular_expression_on_every_small_pattern_and_name()
    {
        var names = Words(NameParts, 4).Select(w => string.Join('/', w)).ToArray();
        foreach (var segments in Words(PatternSegments, 3))
        {
            var text = string.Join('/', segments);
            var pattern = NamePattern.Parse(text);
            var reference = Reference(segments, "u");
            foreach (var name in names)
                Assert.True(reference.IsMatch("/" + name) == pattern.IsMatch(name, "u"), $"pattern '{text}', name '{name}'");
        }
    }

    /// <summary>
    /// The documented semantics as a regular expression over "/" + name: a segment glob is one
    /// segment, a ** any number of segments, a trailing /** at least one.
    /// </summary>
    internal static Regex Reference(IReadOnlyList<string> segments, string user)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i] == "**")
                regex.Append(i == segments.Count - 1 && i > 0 ? "(?:/[^/]+)+" : "(?:/[^/]+)*");
            else
                regex.Append('/').Append(Regex.Escape(segments[i].Replace("${user}", user)).Replace("\\*", "[^/]*"));
        }
        return new Regex(regex.Append('$').ToString());
    }

    private static IEnumerable<string[]> Words(string[] alphabet, int maxLength)
    {
        IEnumerable<string[]> level = alphabet.Select(a => new[] { a });
        for (var length = 1; length <= maxLength; length++)
        {
            foreach (var word in level) yield return word;
            level = level.SelectMany(w => alphabet.Select(a => (string[])[.. w, a])).ToArray();
        }
    }
}
