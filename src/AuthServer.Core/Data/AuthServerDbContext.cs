using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.SignIn;
using AuthServer.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AuthServer.Core.Data;

public sealed class AuthServerDbContext(DbContextOptions<AuthServerDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<AccessRule> AccessRules => Set<AccessRule>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<SigningCa> SigningCas => Set<SigningCa>();
    public DbSet<RefreshSession> RefreshSessions => Set<RefreshSession>();
    public DbSet<Robot> Robots => Set<Robot>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<LockoutRelease> LockoutReleases => Set<LockoutRelease>();
    public DbSet<FamiliarSource> FamiliarSources => Set<FamiliarSource>();
    public DbSet<StoredLock> StoredLocks => Set<StoredLock>();
    public DbSet<ChangeRevision> ChangeRevisions => Set<ChangeRevision>();
    public DbSet<Federation.StoredTrust> FederationTrusts => Set<Federation.StoredTrust>();

    /// <summary>Told when a commit moved a revision; null for a context made without it (design time).</summary>
    internal LocalChanges? LocalChanges { get; } = options.FindExtension<LocalChangesExtension>()?.Local;

    /// <summary>The transaction <see cref="RevisionInterceptor"/> opened around a save that had none.</summary>
    internal IDbContextTransaction? OwnRevisionTransaction { get; set; }

    /// <summary>A revision was bumped in the open transaction: its commit tells <see cref="LocalChanges"/>.</summary>
    internal bool RevisionMoved { get; set; }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AuthServerDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; the converter restores DateTimeKind.Utc on read (SQLite stores text).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
