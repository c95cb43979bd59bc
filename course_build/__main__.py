import sys

from course_build.build import main

sys.exit(main())
