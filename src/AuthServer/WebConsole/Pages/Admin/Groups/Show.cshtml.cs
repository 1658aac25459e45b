using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Admin.Groups;

public sealed class GroupModel(GroupService groups) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true, Name = Paging.Query)]
    public int PageNumber { get; set; } = 1;

    public Group Group { get; private set; } = null!;
    public string? NewMember { get; private set; }
    public IReadOnlyList<string> Members { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(string? user, CancellationToken ct)
    {
        NewMember = user;
        await groups.AddMemberAsync(Name, user?.Trim() ?? "", ct);
        return Done($"{user} was added to {Name}.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? user, CancellationToken ct)
    {
        await groups.RemoveMemberAsync(Name, user ?? "", ct);
        return Done($"{user} was removed from {Name}.");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        await groups.DeleteAsync(Name, ct);
        return Done($"Group {Name} was deleted.", "/ui/admin/groups");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        Group = await groups.GetAsync(Name, ct);
        var members = (await groups.MembersAsync(Name, ct))
            .Where(m => string.IsNullOrWhiteSpace(Filter) || m.Contains(Filter.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray();
        (Members, Paging) = Paging.Of(members, PageNumber, Request);
    }
}
