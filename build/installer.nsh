; RDP Health: additions to electron-builder's NSIS installer (electron-builder.yml, nsis.include).
;
; Install (per machine, elevated):
;   - %ProgramData%\RDP Health (the folder from the OS, never from the installing user's environment),
;     locked FIRST, before any child is looked at or made: owner Administrators, SYSTEM and
;     Administrators full control, Users read, nothing inherited. A root that is a link is unlinked, one
;     that is not admin-owned (a user can make folders in ProgramData) is deleted whole; a missing root
;     is created with that descriptor in the same call, so there is no moment in which a user may write.
;   - children, each the same descriptor (Users read only; no folder here is writable by Users):
;       host    the host checker's published snapshot, history and Prometheus textfile (written by SYSTEM)
;       fixes   fix results and undo records (written elevated by Administrators)
;     a child that is a link is unlinked (never followed); one that is not admin-owned is deleted whole
;     (rd /s does not follow junctions inside it) and made fresh; logs and shared of older versions
;     (once writable by Users) are deleted whole. No icacls: descriptors are set with SetFileSecurity on
;     the one object, after checking, on a path no user can swap (the locked root's children).
;   - the host checker's scheduled task \RDP Health\Host Checker (probes\common\Register-RdpHealthHostChecker.ps1)
;   - the Event Log source "RDP Health" in the Application log
;   - start at sign-in for all users (HKLM Run key): a page in the wizard; silent installs (/S) turn
;     it on unless /NOAUTOSTART is given; an upgrade keeps the previous choice.
; Uninstall (not on an upgrade): removes the task, the Run value, the event source and the data folder
;   (/KEEPDATA keeps the fix records and the host checker's results); a link is only ever unlinked,
;   never deleted through.
;
; Everything here is a macro electron-builder inserts where it belongs; nothing is declared that a
; build does not use (warningsAsErrors is on, and the uninstaller is compiled from this file too).

!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

!define RDPH_DATA_FOLDER "RDP Health"
!define RDPH_RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define RDPH_RUN_VALUE "RDP Health"
!define RDPH_EVENTLOG_KEY "SYSTEM\CurrentControlSet\Services\EventLog\Application\RDP Health"
!define RDPH_HIDDEN_ARG "--hidden"
; By SID (account names are localized): owner BUILTIN\Administrators; SYSTEM and Administrators full
; control, BUILTIN\Users read and execute (0x1200a9); protected (no inheritance); children inherit it.
!define RDPH_FOLDER_SDDL "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
; sizeof(SECURITY_ATTRIBUTES): DWORD, pointer, BOOL (padded on 64-bit).
!if ${NSIS_PTR_SIZE} > 4
  !define RDPH_SA_SIZE 24
!else
  !define RDPH_SA_SIZE 12
!endif
!define RDPH_REGISTER_TASK "resources\probes\common\Register-RdpHealthHostChecker.ps1"

; The 64-bit registry view for the Run key (HKLM\Software is redirected for a 32-bit installer).
!macro rdphRegView64
  ${If} ${RunningX64}
    SetRegView 64
  ${EndIf}
!macroend

; $R9 = %ProgramData%\RDP Health. CSIDL_COMMON_APPDATA (0x23) from the shell: the installer runs
; elevated with the installing user's environment, in which %ProgramData% can be anything.
!macro rdphDataFolder
  System::Call 'shell32::SHGetSpecialFolderPathW(p 0, w .R9, i 0x23, i 0) i .r0'
  ${If} $0 == 0
  ${OrIf} $R9 == ""
    Abort "The ProgramData folder could not be read from Windows."
  ${EndIf}
  StrCpy $R9 "$R9\${RDPH_DATA_FOLDER}"
!macroend

; $1 = 1 when PATH is owned by BUILTIN\Administrators or SYSTEM (by SID), else 0. Uses $0 $2 $3.
!macro rdphAdminOwned PATH
  StrCpy $1 0
  ; SE_FILE_OBJECT = 1, OWNER_SECURITY_INFORMATION = 1; $2 = owner SID, $3 = descriptor to free.
  System::Call 'advapi32::GetNamedSecurityInfoW(w "${PATH}", i 1, i 1, *p .r2, p 0, p 0, p 0, *p .r3) i .r0'
  ${If} $0 == 0
    ; WinBuiltinAdministratorsSid = 26, WinLocalSystemSid = 22
    System::Call 'advapi32::IsWellKnownSid(p r2, i 26) i .r0'
    ${If} $0 != 0
      StrCpy $1 1
    ${EndIf}
    System::Call 'advapi32::IsWellKnownSid(p r2, i 22) i .r0'
    ${If} $0 != 0
      StrCpy $1 1
    ${EndIf}
    System::Call 'kernel32::LocalFree(p r3)'
  ${EndIf}
!macroend

; $4 = what PATH is: "none", "link" (a reparse point: junction, symbolic link), "admin" (a real
; folder owned by Administrators or SYSTEM) or "foreign" (anything else). Uses $0-$3.
!macro rdphInspect PATH
  System::Call 'kernel32::GetFileAttributesW(w "${PATH}") i .r0'
  ${If} $0 == -1
    StrCpy $4 "none"
  ${Else}
    IntOp $1 $0 & 0x400
    IntOp $2 $0 & 0x10
    ${If} $1 != 0
      StrCpy $4 "link"
    ${ElseIf} $2 == 0
      StrCpy $4 "foreign"
    ${Else}
      !insertmacro rdphAdminOwned "${PATH}"
      ${If} $1 == 1
        StrCpy $4 "admin"
      ${Else}
        StrCpy $4 "foreign"
      ${EndIf}
    ${EndIf}
  ${EndIf}
!macroend

; Removes what is at PATH without following any link: a link is unlinked (RMDir without /r removes
; the link itself, never the target; Delete for a file link), anything else is deleted whole by
; rd /s, which removes junctions inside without entering them. Uses $0-$4.
!macro rdphRemove PATH
  !insertmacro rdphInspect "${PATH}"
  ${If} $4 == "link"
    DetailPrint 'Unlinking ${PATH}'
    RMDir "${PATH}"
    Delete "${PATH}"
  ${ElseIf} $4 != "none"
    DetailPrint 'Removing ${PATH}'
    nsExec::ExecToLog '"$SYSDIR\cmd.exe" /d /c rd /s /q "${PATH}"'
    Pop $0
    Delete "${PATH}"
  ${EndIf}
!macroend

; Makes PATH an admin-owned real folder with RDPH_FOLDER_SDDL, or aborts the install. A folder that is
; already a real admin-owned one is kept (its contents were written by administrators) and gets the
; descriptor on itself only (SetFileSecurityW: no walk into children); anything else is removed and
; created with the descriptor in the same CreateDirectoryW call. Checked again at the end. Uses $0-$6.
!macro rdphLockedFolder PATH
  !insertmacro rdphInspect "${PATH}"
  ${If} $4 != "admin"
    !insertmacro rdphRemove "${PATH}"
  ${EndIf}
  ; $5 = the descriptor (SDDL_REVISION_1), freed below.
  System::Call 'advapi32::ConvertStringSecurityDescriptorToSecurityDescriptorW(w "${RDPH_FOLDER_SDDL}", i 1, *p .r5, p 0) i .r0'
  ${If} $0 == 0
    Abort "The security descriptor for ${PATH} could not be built."
  ${EndIf}
  ${If} $4 == "admin"
    ; OWNER (1) | DACL (4) | PROTECTED_DACL (0x80000000)
    System::Call 'advapi32::SetFileSecurityW(w "${PATH}", i 0x80000005, p r5) i .r0'
  ${Else}
    ; SECURITY_ATTRIBUTES { nLength, lpSecurityDescriptor, bInheritHandle 0 }: fails if anything
    ; is there again (a user who raced us), and then nothing is trusted: the install stops.
    System::Call '*(i ${RDPH_SA_SIZE}, p r5, i 0) p .r6'
    System::Call 'kernel32::CreateDirectoryW(w "${PATH}", p r6) i .r0'
    System::Free $6
  ${EndIf}
  System::Call 'kernel32::LocalFree(p r5)'
  !insertmacro rdphInspect "${PATH}"
  ${If} $4 != "admin"
    Abort "${PATH} could not be made a folder that only administrators can change ($4)."
  ${EndIf}
!macroend

; The host checker's task, by the shipped script in the 64-bit Windows PowerShell (full path).
!macro rdphHostCheckerTask ARGS
  ${If} ${RunningX64}
    ${DisableX64FSRedirection}
  ${EndIf}
  nsExec::ExecToLog '"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "$INSTDIR\${RDPH_REGISTER_TASK}" ${ARGS}'
  Pop $0
  ${If} ${RunningX64}
    ${EnableX64FSRedirection}
  ${EndIf}
  ${If} $0 != "0"
    DetailPrint 'The host checker task script returned $0'
  ${EndIf}
!macroend

!ifndef BUILD_UNINSTALLER
  !include "nsDialogs.nsh"
  Var RdphAutoStart
  Var RdphAutoStartBox

  !macro customInit
    ; Default for a fresh install: on. An upgrade keeps what the machine has.
    StrCpy $RdphAutoStart "1"
    !insertmacro rdphRegView64
    ReadRegStr $0 HKLM "${INSTALL_REGISTRY_KEY}" "InstallLocation"
    ReadRegStr $1 HKLM "${RDPH_RUN_KEY}" "${RDPH_RUN_VALUE}"
    ${If} $0 != ""
    ${AndIf} $1 == ""
      StrCpy $RdphAutoStart "0"
    ${EndIf}
    ${GetParameters} $R0
    ClearErrors
    ${GetOptions} $R0 "/AUTOSTART" $R1
    ${IfNot} ${Errors}
      StrCpy $RdphAutoStart "1"
    ${EndIf}
    ClearErrors
    ${GetOptions} $R0 "/NOAUTOSTART" $R1
    ${IfNot} ${Errors}
      StrCpy $RdphAutoStart "0"
    ${EndIf}
    ClearErrors
  !macroend

  !macro customPageAfterChangeDir
    Page custom rdphAutoStartPageCreate rdphAutoStartPageLeave

    Function rdphAutoStartPageCreate
      nsDialogs::Create 1018
      Pop $0
      ${If} $0 == error
        Abort
      ${EndIf}
      ${NSD_CreateLabel} 0 0 100% 40u "RDP Health checks that this computer can accept Remote Desktop connections, and warns before it cannot. It runs in the notification area of each signed-in user; on a server with many sessions, one of them checks for all."
      Pop $0
      ${NSD_CreateCheckbox} 0 48u 100% 12u "Start RDP Health when anyone signs in to this computer"
      Pop $RdphAutoStartBox
      ${If} $RdphAutoStart == "1"
        ${NSD_Check} $RdphAutoStartBox
      ${EndIf}
      nsDialogs::Show
    FunctionEnd

    Function rdphAutoStartPageLeave
      ${NSD_GetState} $RdphAutoStartBox $0
      ${If} $0 == ${BST_CHECKED}
        StrCpy $RdphAutoStart "1"
      ${Else}
        StrCpy $RdphAutoStart "0"
      ${EndIf}
    FunctionEnd
  !macroend

  !macro customInstall
    Push $R9
    Push $0
    Push $1
    Push $2
    Push $3
    Push $4
    Push $5
    Push $6
    !insertmacro rdphDataFolder
    ; The root first: until it is locked, a user could create or swap anything below it.
    !insertmacro rdphLockedFolder "$R9"
    ; Only now the children (users can no longer create anything in the root).
    !insertmacro rdphLockedFolder "$R9\host"
    !insertmacro rdphLockedFolder "$R9\fixes"
    ; Older versions' per-user folders, once writable by Users: gone whole (per-user files now live
    ; in each user's %LOCALAPPDATA%\RDP Health).
    !insertmacro rdphRemove "$R9\logs"
    !insertmacro rdphRemove "$R9\shared"

    ; The host checker (SYSTEM): at start-up, every CheckIntervalMinutes, and on a user's request.
    !insertmacro rdphHostCheckerTask ""

    ; Event Log source (what New-EventLog registers): .NET's message file passes the text through.
    ${If} ${RunningX64}
      WriteRegExpandStr HKLM "${RDPH_EVENTLOG_KEY}" "EventMessageFile" "%SystemRoot%\Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll"
    ${Else}
      WriteRegExpandStr HKLM "${RDPH_EVENTLOG_KEY}" "EventMessageFile" "%SystemRoot%\Microsoft.NET\Framework\v4.0.30319\EventLogMessages.dll"
    ${EndIf}
    WriteRegDWORD HKLM "${RDPH_EVENTLOG_KEY}" "TypesSupported" 7

    ; Start at sign-in for every user, hidden in the notification area.
    !insertmacro rdphRegView64
    ${If} $RdphAutoStart == "1"
      WriteRegStr HKLM "${RDPH_RUN_KEY}" "${RDPH_RUN_VALUE}" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" ${RDPH_HIDDEN_ARG}'
    ${Else}
      DeleteRegValue HKLM "${RDPH_RUN_KEY}" "${RDPH_RUN_VALUE}"
    ${EndIf}
    Pop $6
    Pop $5
    Pop $4
    Pop $3
    Pop $2
    Pop $1
    Pop $0
    Pop $R9
  !macroend
!endif

!ifdef BUILD_UNINSTALLER
  !macro customUnInstall
    ; An upgrade runs the old uninstaller with --updated: keep everything then.
    ${IfNot} ${isUpdated}
      !insertmacro rdphHostCheckerTask "-Unregister"
      !insertmacro rdphRegView64
      DeleteRegValue HKLM "${RDPH_RUN_KEY}" "${RDPH_RUN_VALUE}"
      DeleteRegKey HKLM "${RDPH_EVENTLOG_KEY}"
      !insertmacro rdphDataFolder
      ; Never through a link: a root that is not a real admin-owned folder is only unlinked or left.
      !insertmacro rdphInspect "$R9"
      ${If} $4 == "link"
        RMDir "$R9"
      ${ElseIf} $4 == "admin"
        !insertmacro rdphRemove "$R9\logs"
        !insertmacro rdphRemove "$R9\shared"
        ${GetParameters} $R0
        ClearErrors
        ${GetOptions} $R0 "/KEEPDATA" $R1
        ${If} ${Errors}
          !insertmacro rdphRemove "$R9\host"
          !insertmacro rdphRemove "$R9\fixes"
          RMDir "$R9"
        ${EndIf}
        ClearErrors
      ${EndIf}
    ${EndIf}
  !macroend
!endif
