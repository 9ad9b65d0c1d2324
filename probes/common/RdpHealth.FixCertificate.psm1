# The 'certificate' undo kind of the fix framework (RdpHealth.FixUndoEntry.psm1 restores it; FIX-FRAMEWORK.md 2):
# a certificate about to be deleted from a LocalMachine store is kept in the undo record (its DER,
# base64: public data only, never the private key). Restoring imports it again and links it to its
# private key with `certutil -repairstore`, which works only while the key is still there: deleting a
# certificate (Remove-Item without -DeleteKey) leaves its key container on disk. Once Windows has
# written a new key into that container (a renewed self-signed RDP certificate uses the same
# TSSecKeySet1 container), the old certificate cannot get its key back: restoring then removes the
# half-restored certificate again and says so, rather than leave a certificate without its key.
# (unverified: certutil -repairstore finding a machine key by the certificate's public key.)
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixFolder.psm1')

function Get-RdpCertificateItem {
    <#
    .SYNOPSIS
    One certificate of a LocalMachine store by thumbprint, or $null when it is not there.
    .OUTPUTS
    System.Security.Cryptography.X509Certificates.X509Certificate2, or $null.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Store, [Parameter(Mandatory)][ValidatePattern('^[0-9A-F]{40}$')][string]$Thumbprint)
    try {
        Get-Item -LiteralPath "Cert:\LocalMachine\$Store\$Thumbprint" -ErrorAction Stop
    } catch [System.Management.Automation.ItemNotFoundException] {
        $null
    }
}

function New-RdpCertificateUndo {
    <#
    .SYNOPSIS
    Undo entry for a certificate about to be deleted from Cert:\LocalMachine\<Store>: its DER (base64),
    so that undo can import it again and link it to its private key while that key still exists.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9 ._-]+$')][string]$Store,
        [Parameter(Mandatory)][ValidatePattern('^[0-9A-F]{40}$')][string]$Thumbprint
    )
    $certificate = Get-RdpCertificateItem -Store $Store -Thumbprint $Thumbprint
    if ($null -eq $certificate) { throw (New-RdpProbeError -Kind 'not-found' -Message "There is no certificate $Thumbprint in Cert:\LocalMachine\$Store.") }
    $notAfter = ConvertTo-RdpIsoDate -Date $certificate.NotAfter
    [PSCustomObject]@{
        kind          = 'certificate'
        store         = $Store
        thumbprint    = $Thumbprint
        subject       = [string]$certificate.Subject
        notAfter      = $notAfter
        hasPrivateKey = [bool]$certificate.HasPrivateKey
        certificate   = [Convert]::ToBase64String([byte[]]$certificate.RawData)
        description   = "Put certificate $Thumbprint ($($certificate.Subject), valid until $($notAfter.Substring(0, 10))) back into Cert:\LocalMachine\$Store with its private key"
    }
}

function Restore-RdpCertificateUndo {
    <#
    .SYNOPSIS
    Imports a certificate of a 'certificate' undo entry again and links it to its private key
    (certutil -repairstore). Throws "Not restored: ..." when the key is gone. -Folder: where the
    certificate file is written for the import (the admin-owned fix folder); it is deleted after.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Entry, [Parameter(Mandatory)][string]$Folder)
    $store = [string]$Entry.store
    $thumbprint = [string]$Entry.thumbprint
    if ($store -notmatch '^[A-Za-z0-9 ._-]+$' -or $thumbprint -notmatch '^[0-9A-F]{40}$') { throw "The certificate undo entry names an invalid store or thumbprint." }
    if ($null -ne (Get-RdpCertificateItem -Store $store -Thumbprint $thumbprint)) { return }
    $file = Join-Path $Folder "restore-$thumbprint.cer"
    [System.IO.File]::WriteAllBytes($file, [Convert]::FromBase64String([string]$Entry.certificate))
    try {
        $null = Import-Certificate -FilePath $file -CertStoreLocation "Cert:\LocalMachine\$store" -WhatIf:$false -Confirm:$false
    } finally {
        Remove-Item -LiteralPath $file -Force -WhatIf:$false -Confirm:$false
    }
    if (-not $Entry.hasPrivateKey) { return }
    $null = @(Invoke-RdpSystemTool -Name 'certutil.exe' -ArgumentList @('-repairstore', $store, $thumbprint))
    $code = $LASTEXITCODE
    if ($code -ne 0) {
        # A certificate without its key would break whatever used it: take it out again.
        Remove-Item -LiteralPath "Cert:\LocalMachine\$store\$thumbprint" -WhatIf:$false -Confirm:$false
        throw ('Not restored: the private key of certificate {0} no longer exists (certutil -repairstore 0x{1:X8}); Windows has replaced it, so the old certificate cannot be used again.' -f $thumbprint, $code)
    }
}

Export-ModuleMember -Function New-RdpCertificateUndo, Restore-RdpCertificateUndo
