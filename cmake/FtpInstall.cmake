# Install rules of libftp, included by examples-c/CMakeLists.txt:
#   cmake -S examples-c -B build && cmake --build build && cmake --install build --prefix P
# installs P/include/ftp.h, P/lib/libftp.so.X.Y.Z with its soname link and the
# libftp.so development link, P/lib/libftp.a, P/lib/pkgconfig/ftp.pc and the
# CMake package P/lib/cmake/ftp (find_package(ftp)). The soname is
# libftp.so.X, or libftp.so.0.Y while X is 0 (cargo-c's rule: before 1.0
# every minor version may break the ABI; build.rs sets the same).
#
# Inputs: FTP_REPO_DIR (the repository), FTP_SHARED_LIB and FTP_STATIC_LIB
# (the files cargo builds).

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The version lives in one place: Cargo.toml.
file(STRINGS "${FTP_REPO_DIR}/Cargo.toml" _ftp_version_line
     REGEX "^version = \"[0-9]+\\.[0-9]+\\.[0-9]+\"" LIMIT_COUNT 1)
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" FTP_VERSION "${_ftp_version_line}")
string(REGEX MATCH "^[0-9]+" FTP_VERSION_MAJOR "${FTP_VERSION}")
if(NOT FTP_VERSION)
  message(FATAL_ERROR "could not read the version from ${FTP_REPO_DIR}/Cargo.toml")
endif()
string(REGEX MATCH "^[0-9]+\\.[0-9]+" _ftp_major_minor "${FTP_VERSION}")
if(FTP_VERSION_MAJOR EQUAL 0)
  set(FTP_SOVERSION "${_ftp_major_minor}")        # 0.Y
  set(_ftp_compatibility SameMinorVersion)
else()
  set(FTP_SOVERSION "${FTP_VERSION_MAJOR}")
  set(_ftp_compatibility SameMajorVersion)
endif()

install(FILES "${FTP_REPO_DIR}/include/ftp.h" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${FTP_SHARED_LIB}" DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        RENAME "libftp.so.${FTP_VERSION}"
        PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                    WORLD_READ WORLD_EXECUTE)
install(CODE "
  set(_dir \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}\")
  file(CREATE_LINK \"libftp.so.${FTP_VERSION}\" \"\${_dir}/libftp.so.${FTP_SOVERSION}\" SYMBOLIC)
  file(CREATE_LINK \"libftp.so.${FTP_SOVERSION}\" \"\${_dir}/libftp.so\" SYMBOLIC)
  message(STATUS \"Installing: \${_dir}/libftp.so.${FTP_SOVERSION} -> libftp.so.${FTP_VERSION}\")
  message(STATUS \"Installing: \${_dir}/libftp.so -> libftp.so.${FTP_SOVERSION}\")
")
install(FILES "${FTP_STATIC_LIB}" DESTINATION "${CMAKE_INSTALL_LIBDIR}")

configure_file("${FTP_REPO_DIR}/cmake/ftp.pc.in" "${CMAKE_BINARY_DIR}/ftp.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/ftp.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

configure_file("${FTP_REPO_DIR}/cmake/ftpConfig.cmake.in" "${CMAKE_BINARY_DIR}/ftpConfig.cmake" @ONLY)
write_basic_package_version_file("${CMAKE_BINARY_DIR}/ftpConfigVersion.cmake"
  VERSION "${FTP_VERSION}" COMPATIBILITY ${_ftp_compatibility})
install(FILES "${CMAKE_BINARY_DIR}/ftpConfig.cmake" "${CMAKE_BINARY_DIR}/ftpConfigVersion.cmake"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/cmake/ftp")
