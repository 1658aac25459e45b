using AuthServer.Core.Policy;

namespace AuthServer.Tests.Policy;

public class MembershipIndexTests
{
    [Fact]
    public void Rows_in_user_order_give_each_user_their_groups_sorted()
    {
        var index = new MembershipIndex();
        index.Add("alice", "ops");
        index.Add("alice", "devs");
        index.Add("bob", "devs");
        var groups = index.Build();
        Assert.Equal(["devs", "ops"], groups["alice"]);
        Assert.Equal(["devs"], groups["bob"]);
        Assert.Equal(2, groups.Count);
    }

    [Fact]
    public void Rows_of_one_user_that_come_apart_are_merged_and_duplicates_count_once()
    {
        var index = new MembershipIndex();
        index.Add("alice", "devs");
        index.Add("bob", "ops");
        index.Add("alice", "ops");
        index.Add("alice", "devs");
        var groups = index.Build();
        Assert.Equal(["devs", "ops"], groups["alice"]);
        Assert.Equal(["ops"], groups["bob"]);
    }

    [Fact]
    public void Users_with_the_same_groups_share_one_list()
    {
        var index = new MembershipIndex();
        foreach (var user in new[] { "a", "b", "c" })
        {
            index.Add(user, "devs");
            index.Add(user, "ops");
        }
        var groups = index.Build();
        Assert.Same(groups["a"], groups["b"]);
        Assert.Same(groups["b"], groups["c"]);
    }

    [Fact]
    public void A_snapshot_from_scattered_rows_finds_every_group_rule()
    {
        var rules = new[]
        {
            new AccessRule { Id = 1, Effect = RuleEffect.Allow, SubjectKind = SubjectKind.Group, Subject = "devs", ResourceType = "repository", Pattern = "team/**", Actions = "pull" },
            new AccessRule { Id = 2, Effect = RuleEffect.Allow, SubjectKind = SubjectKind.Group, Subject = "ops", ResourceType = "repository", Pattern = "team/**", Actions = "push" },
        };
        var snapshot = new PolicySnapshot(1, rules, [("alice", "devs"), ("bob", "devs"), ("alice", "ops")]);
        Assert.Equal(["devs", "ops"], snapshot.GroupsOf("alice"));
        var alice = new AuthServer.Core.Identity.Principal(AuthServer.Core.Identity.PrincipalKind.User, "alice", "alice", 1, false, AuthServer.Core.Identity.CredentialKind.Password);
        var decision = PolicyEvaluator.Decide(snapshot, alice, "registry", AuthServer.Core.Scopes.ScopeParser.ParseOne("repository:team/app:pull,push"));
        Assert.Equal(["pull", "push"], decision.Granted);
    }
}
