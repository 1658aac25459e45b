using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Concurrency;

/// <summary>
/// Two requests that race for the same thing: one wins, the other is refused with a domain answer
/// (404 or 409 in the API), never a database error, and no invariant breaks. Each round starts
/// both at once; the rounds repeat so a check made before the write (today's bug) loses at least once.
/// Its own server: the administrators are counted here.
/// </summary>
public abstract class RaceTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private const int Rounds = 12;

    /// <summary>Runs both at the same moment; each outcome is success or the domain refusal it threw.</summary>
    private async Task<Exception?[]> RaceAsync(params Func<IServiceProvider, Task>[] changes)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = changes.Select(change => Task.Run(async () =>
        {
            await go.Task;
            try
            {
                await server.WithServiceAsync(change);
                return null;
            }
            catch (DomainException e)
            {
                return (Exception)e;
            }
        })).ToArray();
        go.SetResult();
        return await Task.WhenAll(runs);
    }

    private Task<int> EnabledAdministratorsAsync() => server.WithServiceAsync(async sp =>
        (await sp.GetRequiredService<UserService>().ListAsync(null, 0, 1000, CancellationToken.None)).Count(u => u.IsAdmin && !u.IsDisabled));

    [Fact]
    public async Task Of_two_requests_removing_the_last_two_administrators_one_is_refused_and_one_administrator_remains()
    {
        Func<UserService, string, Task>[] removals =
        [
            (users, name) => users.SetDisabledAsync(name, true, CancellationToken.None),
            (users, name) => users.SetAdminAsync(name, false, CancellationToken.None),
            (users, name) => users.DeleteAsync(name, CancellationToken.None),
        ];
        for (var round = 0; round < Rounds; round++)
        {
            var (other, _) = await server.NewUserAsync("admin", admin: true);
            Assert.Equal(2, await EnabledAdministratorsAsync());
            var onBootstrap = removals[round % 2];
            var onOther = removals[(round + 1) % 3];

            var outcomes = await RaceAsync(
                sp => onBootstrap(sp.GetRequiredService<UserService>(), AuthServerFixture.AdminName),
                sp => onOther(sp.GetRequiredService<UserService>(), other));

            Assert.Single(outcomes, o => o is null);
            Assert.IsType<ConflictException>(Assert.Single(outcomes, o => o is not null));
            Assert.Equal(1, await EnabledAdministratorsAsync());
            // Back to the bootstrap administrator alone, enabled, for the next round.
            await server.WithServiceAsync(async sp =>
            {
                var users = sp.GetRequiredService<UserService>();
                await users.UpdateAsync(AuthServerFixture.AdminName, new UserUpdate(Admin: true, Disabled: false), CancellationToken.None);
                if (await users.FindAsync(other, CancellationToken.None) is not null) await users.DeleteAsync(other, CancellationToken.None);
            });
        }
    }

    [Fact]
    public async Task Racing_group_and_member_changes_answer_not_found_or_conflict_never_a_database_error()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var group = FixtureExtensions.UniqueName("race");
            var (user, _) = await server.NewUserAsync("member");
            await server.WithServiceAsync(sp => sp.GetRequiredService<GroupService>().CreateAsync(group, null, CancellationToken.None));

            var twoAdds = await RaceAsync(
                sp => sp.GetRequiredService<GroupService>().AddMemberAsync(group, user, CancellationToken.None),
                sp => sp.GetRequiredService<GroupService>().AddMemberAsync(group, user, CancellationToken.None));
            Assert.Single(twoAdds, o => o is null);
            Assert.IsType<ConflictException>(Assert.Single(twoAdds, o => o is not null));

            var (late, _) = await server.NewUserAsync("late");
            var deleteAndAdd = await RaceAsync(
                sp => sp.GetRequiredService<GroupService>().DeleteAsync(group, CancellationToken.None),
                sp => sp.GetRequiredService<GroupService>().AddMemberAsync(group, late, CancellationToken.None),
                sp => sp.GetRequiredService<GroupService>().DeleteAsync(group, CancellationToken.None));
            Assert.All(deleteAndAdd, o => Assert.True(o is null or NotFoundException, o?.ToString()));
            Assert.Single(new[] { deleteAndAdd[0], deleteAndAdd[2] }, o => o is null);

            var twoDeletes = await RaceAsync(
                sp => sp.GetRequiredService<UserService>().DeleteAsync(user, CancellationToken.None),
                sp => sp.GetRequiredService<UserService>().DeleteAsync(user, CancellationToken.None));
            Assert.Single(twoDeletes, o => o is null);
            Assert.IsType<NotFoundException>(Assert.Single(twoDeletes, o => o is not null));
        }
    }
}

public sealed class RaceTests(AuthServerFixture server) : RaceTests<AuthServerFixture>(server);

public sealed class RaceTestsOnPostgres(AuthServerOnPostgres server) : RaceTests<AuthServerOnPostgres>(server);
