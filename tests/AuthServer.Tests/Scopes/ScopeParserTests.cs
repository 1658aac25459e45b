using AuthServer.Core.Scopes;

namespace AuthServer.Tests.Scopes;

public class ScopeParserTests
{
    [Fact]
    public void Parses_type_name_and_actions()
    {
        var scope = ScopeParser.ParseOne("repository:samalba/my-app:pull,push");
        Assert.Equal("repository", scope.Type);
        Assert.Null(scope.Class);
        Assert.Equal("samalba/my-app", scope.Name);
        Assert.Equal(["pull", "push"], scope.Actions);
    }

    [Fact]
    public void Name_may_hold_a_registry_host_with_a_port()
    {
        var scope = ScopeParser.ParseOne("repository:localhost:5000/foo/bar:pull");
        Assert.Equal("localhost:5000/foo/bar", scope.Name);
        Assert.Equal(["pull"], scope.Actions);
    }

    [Fact]
    public void Catalog_scope_keeps_the_wildcard_action()
    {
        var scope = ScopeParser.ParseOne("registry:catalog:*");
        Assert.Equal(("registry", "catalog"), (scope.Type, scope.Name));
        Assert.Equal(["*"], scope.Actions);
    }

    [Fact]
    public void Resource_class_is_parsed_apart_from_the_type()
    {
        var scope = ScopeParser.ParseOne("repository(plugin):vieux/sshfs:pull");
        Assert.Equal("repository", scope.Type);
        Assert.Equal("plugin", scope.Class);
    }

    [Fact]
    public void One_value_may_hold_several_space_separated_scopes()
    {
        var scopes = ScopeParser.Parse(["repository:a/b:pull repository:c/d:push"]);
        Assert.Equal(["a/b", "c/d"], scopes.Select(s => s.Name));
    }

    [Fact]
    public void The_same_resource_twice_is_merged_whatever_the_action_order()
    {
        var scopes = ScopeParser.Parse(["repository:a/b:push,pull", "repository:a/b:pull", "repository:a/b:delete"]);
        var scope = Assert.Single(scopes);
        Assert.Equal(["delete", "pull", "push"], scope.Actions);
    }

    [Fact]
    public void Same_name_with_and_without_class_is_one_resource()
    {
        var scopes = ScopeParser.Parse(["repository:a/b:pull", "repository(plugin):a/b:push"]);
        Assert.Equal(["pull", "push"], Assert.Single(scopes).Actions);
    }

    [Fact]
    public void Empty_and_missing_values_ask_for_nothing()
    {
        Assert.Empty(ScopeParser.Parse([null, "", "  "]));
    }

    [Fact]
    public void An_empty_action_list_is_allowed_and_asks_for_nothing()
    {
        Assert.Empty(ScopeParser.ParseOne("repository:a/b:").Actions);
    }

    [Theory]
    [InlineData("repository")]
    [InlineData("repository:foo")]
    [InlineData(":foo:pull")]
    [InlineData("Repository:foo:pull")]
    [InlineData("repository:Foo:pull")]
    [InlineData("repository::pull")]
    [InlineData("repository:foo/:pull")]
    [InlineData("repository:foo//bar:pull")]
    [InlineData("repository:foo:PULL")]
    [InlineData("repository:foo:pull;rm")]
    [InlineData("repo(x:foo:pull")]
    [InlineData("repository:-foo:pull")]
    public void Malformed_scopes_are_rejected_with_a_reason(string text)
    {
        var e = Assert.Throws<ScopeFormatException>(() => ScopeParser.Parse([text]));
        Assert.StartsWith("invalid scope", e.Message);
    }

    [Fact]
    public void Names_longer_than_distribution_allows_are_rejected()
    {
        var name = string.Join('/', Enumerable.Repeat("abcdefghij", 26));
        var e = Assert.Throws<ScopeFormatException>(() => ScopeParser.ParseOne($"repository:{name}:pull"));
        Assert.Contains("255", e.Message);
    }

    [Fact]
    public void Too_many_resources_in_one_request_are_rejected()
    {
        var values = Enumerable.Range(0, ScopeParser.MaxScopes + 1).Select(i => $"repository:r{i}:pull");
        Assert.Throws<ScopeFormatException>(() => ScopeParser.Parse(values));
    }

    [Fact]
    public void Separators_inside_components_follow_the_reference_grammar()
    {
        Assert.Equal("a__b/c.d/e---f/g_h", ScopeParser.ParseOne("repository:a__b/c.d/e---f/g_h:pull").Name);
        Assert.Throws<ScopeFormatException>(() => ScopeParser.ParseOne("repository:a___b:pull"));
    }
}
