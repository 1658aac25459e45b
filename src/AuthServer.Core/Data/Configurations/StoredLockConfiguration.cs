using AuthServer.Core.SignIn;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class StoredLockConfiguration : IEntityTypeConfiguration<StoredLock>
{
    public void Configure(EntityTypeBuilder<StoredLock> b)
    {
        b.ToTable("lockouts");
        b.Property(l => l.Scope).HasConversion<string>().HasMaxLength(24);
        b.Property(l => l.Account).HasMaxLength(StoredLock.MaxAccountLength);
        b.Property(l => l.Source).HasMaxLength(StoredLock.MaxSourceLength);
        // An unlock deletes by account or by source; start-up and pruning read by end.
        b.HasIndex(l => l.Account);
        b.HasIndex(l => l.Source);
        b.HasIndex(l => l.Until);
    }
}
