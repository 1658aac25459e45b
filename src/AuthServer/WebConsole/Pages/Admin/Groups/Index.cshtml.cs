using AuthServer.Core.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.WebConsole.Pages.Admin.Groups;

public sealed class GroupsModel(GroupService groups) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true, Name = Paging.Query)]
    public int PageNumber { get; set; } = 1;

    public string? NewName { get; private set; }
    public string? NewDescription { get; private set; }
    public IReadOnlyList<GroupSummary> Groups { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(string? name, string? description, CancellationToken ct)
    {
        (NewName, NewDescription) = (name, description);
        var group = await groups.CreateAsync(name ?? "", string.IsNullOrWhiteSpace(description) ? null : description.Trim(), ct);
        return Done($"Group {group.Name} was created.", $"/ui/admin/groups/{Uri.EscapeDataString(group.Name)}");
    }

    public override async Task LoadAsync(CancellationToken ct)
    {
        var all = (await groups.ListAsync(ct))
            .Where(g => string.IsNullOrWhiteSpace(Filter) || g.Name.Contains(Filter.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray();
        (Groups, Paging) = Paging.Of(all, PageNumber, Request);
    }
}
